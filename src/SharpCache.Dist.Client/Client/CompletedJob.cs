using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Client;

/// <summary>A job that ran: its exit code (non-zero = a genuine compile error), stdout and stderr. Outputs went to the caller's callback.</summary>
public sealed record CompletedJob(RunJobResult Result, byte[] Stdout, byte[] Stderr);
