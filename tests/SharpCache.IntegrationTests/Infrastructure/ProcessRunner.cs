using System.Diagnostics;

namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>Runs a child process with an exact environment and argument list, capturing raw bytes.</summary>
public static class ProcessRunner
{
    /// <summary>How long the output pipes may stay open after the process itself has exited.</summary>
    private static readonly TimeSpan PipeGrace = TimeSpan.FromSeconds(10);

    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> args,
        string cwd,
        IReadOnlyDictionary<string, string?> environment,
        byte[]? stdin,
        TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = cwd,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            if (value is not null)
            {
                psi.Environment[key] = value;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {fileName}");
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderrTask = process.StandardError.BaseStream.CopyToAsync(stderr);
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.BaseStream.Write(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child did not read its stdin (it exited early): not our concern here.
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', psi.ArgumentList)}' in {cwd} did not finish within {timeout.TotalSeconds} s and was killed.\n"
                + $"stdout so far: {Snapshot(stdout)}\nstderr so far: {Snapshot(stderr)}");
        }

        // The process is gone; its pipes must close too. If they do not, a child it left behind
        // (typically an auto-started daemon) inherited them, which hangs `$(shell ...)` in make and
        // any CI step that captures output.
        if (!Task.WaitAll([stdoutTask, stderrTask], PipeGrace))
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', psi.ArgumentList)}' exited with {process.ExitCode}, but its stdout/stderr pipe stayed open "
                + $"{PipeGrace.TotalSeconds} s later: a process it started (the daemon?) inherited the pipe instead of detaching from it.");
        }

        return new ProcessResult(process.ExitCode, stdout.ToArray(), stderr.ToArray());
    }

    private static string Snapshot(MemoryStream stream)
    {
        // Racy read of a buffer still being written: good enough for a diagnostic.
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)Math.Min(stream.Length, 4000));
    }
}
