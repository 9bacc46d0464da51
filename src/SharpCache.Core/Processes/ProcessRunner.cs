using System.Buffers;
using System.Diagnostics;

namespace SharpCache.Core.Processes;

/// <summary>
/// Starts real processes, arguments passed as a list, never through a shell: on Linux in our own directory (a compile's
/// case) with <see cref="PosixSpawn"/> (one thread, no signal-handling machinery), otherwise with <see cref="Process"/>.
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    public static ProcessRunner Instance { get; } = new();

    public ProcessResult RunCaptured(string executable, IReadOnlyList<string> arguments, string workingDirectory)
    {
        using var stdout = new MemoryStream();
        var result = RunStreaming(executable, arguments, workingDirectory, span => stdout.Write(span));
        return result with { Stdout = stdout.ToArray() };
    }

    public ProcessResult RunTee(string executable, IReadOnlyList<string> arguments, string workingDirectory)
    {
        using var stdout = new MemoryStream();
        using var ourStdout = Console.OpenStandardOutput();
        using var ourStderr = Console.OpenStandardError();
        var result = Run(executable, arguments, workingDirectory, span =>
        {
            stdout.Write(span);
            ourStdout.Write(span);
            ourStdout.Flush();
        }, ourStderr);
        return result with { Stdout = stdout.ToArray() };
    }

    public ProcessResult RunStreaming(string executable, IReadOnlyList<string> arguments, string workingDirectory, Action<ReadOnlySpan<byte>> onStdout, Action? onStdoutEnd = null) =>
        Run(executable, arguments, workingDirectory, onStdout, null, onStdoutEnd);

    private static ProcessResult Run(string executable, IReadOnlyList<string> arguments, string workingDirectory, Action<ReadOnlySpan<byte>> onStdout, Stream? stderrTee, Action? onStdoutEnd = null)
    {
        ArgumentNullException.ThrowIfNull(onStdout);
        if (PosixSpawn.CanRun(workingDirectory))
        {
            using var captured = new MemoryStream();
            var exitCode = PosixSpawn.Run(executable, arguments, onStdout, chunk =>
            {
                captured.Write(chunk);
                if (stderrTee is not null)
                {
                    stderrTee.Write(chunk);
                    stderrTee.Flush();
                }
            }, stderrAfterExit: stderrTee is null, onStdoutEnd); // a tee shows it as it comes; a capture needs it only at the end
            return new ProcessResult(exitCode, [], captured.ToArray());
        }

        using var process = new Process { StartInfo = CreateStartInfo(executable, arguments, workingDirectory) };
        process.StartInfo.RedirectStandardOutput = true;
        process.StartInfo.RedirectStandardError = true;
        process.Start();

        // stderr is read on a second thread so that neither pipe can fill up and block the child.
        var stderr = new MemoryStream();
        using var stderrStream = PlainRead(process.StandardError.BaseStream);
        using var stdoutStream = PlainRead(process.StandardOutput.BaseStream);
        var stderrThread = new Thread(() =>
        {
            try
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = stderrStream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    stderr.Write(chunk, 0, read);
                    if (stderrTee is not null)
                    {
                        stderrTee.Write(chunk, 0, read);
                        stderrTee.Flush();
                    }
                }
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

        onStdoutEnd?.Invoke();

        stderrThread.Join();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, [], stderr.ToArray());
    }

    /// <summary>
    /// The pipe's descriptor read with plain read(2). A <see cref="System.IO.Pipes.PipeStream"/> reads through a socket
    /// wrapper whose first use starts the runtime's socket engine (an epoll thread, waited for by spinning): about 7 % of
    /// a cache miss's own CPU in a profile of the client. The pipe stream still owns (and closes) the descriptor.
    /// </summary>
    private static FileStream PlainRead(Stream pipe) =>
        new(new Microsoft.Win32.SafeHandles.SafeFileHandle(((System.IO.Pipes.PipeStream)pipe).SafePipeHandle.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, bufferSize: 0);

    public int RunInherited(string executable, IReadOnlyList<string> arguments, string workingDirectory)
    {
        if (PosixSpawn.CanRun(workingDirectory))
        {
            return PosixSpawn.Run(executable, arguments, null, null);
        }

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
