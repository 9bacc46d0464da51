using System.Buffers;
using System.Diagnostics;

namespace SharpCache.Core.Processes;

/// <summary>Starts real processes with <see cref="Process"/>; arguments are passed as a list, never through a shell.</summary>
public sealed class ProcessRunner : IProcessRunner
{
    public static ProcessRunner Instance { get; } = new();

    public ProcessResult RunCaptured(string executable, IReadOnlyList<string> arguments, string workingDirectory)
    {
        using var stdout = new MemoryStream();
        var result = RunStreaming(executable, arguments, workingDirectory, span => stdout.Write(span));
        return result with { Stdout = stdout.ToArray() };
    }

    public ProcessResult RunStreaming(string executable, IReadOnlyList<string> arguments, string workingDirectory, Action<ReadOnlySpan<byte>> onStdout)
    {
        ArgumentNullException.ThrowIfNull(onStdout);
        using var process = new Process { StartInfo = CreateStartInfo(executable, arguments, workingDirectory) };
        process.StartInfo.RedirectStandardOutput = true;
        process.StartInfo.RedirectStandardError = true;
        process.Start();

        // stderr is read on a second thread so that neither pipe can fill up and block the child.
        var stderr = new MemoryStream();
        var stderrStream = process.StandardError.BaseStream;
        var stderrThread = new Thread(() =>
        {
            try
            {
                stderrStream.CopyTo(stderr);
            }
            catch (IOException)
            {
                // The child went away; whatever was read is kept.
            }
        })
        { IsBackground = true };
        stderrThread.Start();

        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            var stdoutStream = process.StandardOutput.BaseStream;
            int n;
            while ((n = stdoutStream.Read(buffer, 0, buffer.Length)) > 0)
            {
                onStdout(buffer.AsSpan(0, n));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        stderrThread.Join();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, [], stderr.ToArray());
    }

    public int RunInherited(string executable, IReadOnlyList<string> arguments, string workingDirectory)
    {
        using var process = new Process { StartInfo = CreateStartInfo(executable, arguments, workingDirectory) };
        process.Start();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static ProcessStartInfo CreateStartInfo(string executable, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
