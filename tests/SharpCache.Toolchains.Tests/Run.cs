using System.Diagnostics;
using System.Text;

namespace SharpCache.Toolchains.Tests;

/// <summary>Runs a process with a time bound and returns its exit code and output.</summary>
internal static class Run
{
    public static async Task<(int ExitCode, string Output)> ProcessAsync(string executable, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }

        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }

    /// <summary>Runs <paramref name="command"/> in bubblewrap with <paramref name="root"/> (read-only) as <c>/</c> and <paramref name="work"/> at <c>/tmp/w</c>.</summary>
    public static Task<(int ExitCode, string Output)> InSandboxAsync(string root, string work, params string[] command) =>
        InSandboxAtAsync(root, work, "/tmp/w", command);

    /// <summary>The same with <paramref name="work"/> at <paramref name="mountPoint"/> (under <c>/tmp</c>), its working directory.</summary>
    public static Task<(int ExitCode, string Output)> InSandboxAtAsync(string root, string work, string mountPoint, params string[] command)
    {
        foreach (var dir in new[] { "dev", "proc", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        string[] arguments =
        [
            "--ro-bind", root, "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--bind", work, mountPoint, "--chdir", mountPoint,
            "--unshare-all", "--die-with-parent", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin",
            .. command,
        ];
        return ProcessAsync("bwrap", arguments);
    }
}
