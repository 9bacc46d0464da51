namespace SharpCache.Core.Processes;

/// <summary>Exit code and captured output of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, byte[] Stdout, byte[] Stderr);
