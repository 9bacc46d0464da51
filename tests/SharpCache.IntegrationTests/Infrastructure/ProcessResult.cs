using System.Text;

namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>How one child process ended: exit code and the exact bytes it wrote.</summary>
public sealed record ProcessResult(int ExitCode, byte[] Stdout, byte[] Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string StderrText => Encoding.UTF8.GetString(Stderr);

    /// <summary>A one-paragraph description for assertion messages.</summary>
    public string Describe() => $"exit {ExitCode}\n--- stdout ---\n{Tail(StdoutText)}\n--- stderr ---\n{Tail(StderrText)}";

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];
}
