namespace SharpCache.Core.Processes;

/// <summary>The seam through which every compiler process is started (fakes in unit tests).</summary>
public interface IProcessRunner
{
    /// <summary>Runs to completion capturing stdout and stderr; stdin is inherited.</summary>
    ProcessResult RunCaptured(string executable, IReadOnlyList<string> arguments, string workingDirectory);

    /// <summary>
    /// Runs to completion streaming stdout into <paramref name="onStdout"/> (never buffered whole);
    /// stderr is captured. Returns the exit code and stderr. <paramref name="onStdoutEnd"/> runs once stdout has reached its
    /// end, before the exit is waited for: a compiler's teardown after its last write (freeing a C++ unit's address space
    /// takes about a millisecond) goes on meanwhile.
    /// </summary>
    ProcessResult RunStreaming(string executable, IReadOnlyList<string> arguments, string workingDirectory, Action<ReadOnlySpan<byte>> onStdout, Action? onStdoutEnd = null);

    /// <summary>
    /// Runs to completion capturing stdout and stderr while also passing every chunk on to this
    /// process's stdout and stderr as it arrives (a tee): a consumer that reacts to output before
    /// the compiler exits (cargo starts dependent crates on rustc's "metadata ready" message) is
    /// not held back by the capture.
    /// </summary>
    ProcessResult RunTee(string executable, IReadOnlyList<string> arguments, string workingDirectory);

    /// <summary>Runs with the caller's stdin, stdout and stderr; returns the exit code.</summary>
    int RunInherited(string executable, IReadOnlyList<string> arguments, string workingDirectory);
}
