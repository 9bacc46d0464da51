using System.Diagnostics;

namespace SharpCache.TestServers.Netns;

/// <summary>Runs <c>ip</c> (iproute2) and other short admin commands with a time bound; a failure throws with the output.</summary>
internal static class IpCommand
{
    public static async Task<string> RunAsync(TimeSpan timeout, string executable, params string[] arguments)
    {
        var (exitCode, output) = await TryRunAsync(timeout, executable, arguments).ConfigureAwait(false);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"'{executable} {string.Join(' ', arguments)}' failed ({exitCode}): {output.Trim()}");
    }

    public static async Task<(int ExitCode, string Output)> TryRunAsync(TimeSpan timeout, string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
