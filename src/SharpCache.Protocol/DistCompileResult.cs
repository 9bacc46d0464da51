namespace SharpCache.Protocol;

/// <summary>
/// Daemon → client. For <see cref="DistCompileStatus.Completed"/>: where it ran, the exit code,
/// stdout, stderr and the returned outputs (absolute client paths); otherwise <see cref="Reason"/> says why not.
/// </summary>
public sealed record DistCompileResult
{
    public required DistCompileStatus Status { get; init; }

    /// <summary>The build server (<c>ip:port</c>) for a completed compile.</summary>
    public string? Server { get; init; }

    /// <summary>Why the compile was not done remotely (for the log and <c>--explain</c>).</summary>
    public string? Reason { get; init; }

    public int ExitCode { get; init; }

    public byte[] Stdout { get; init; } = [];

    public byte[] Stderr { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, byte[]>> Outputs { get; init; } = [];

    /// <summary>
    /// The daemon is writing the request's <see cref="DistCompileRequest.Store"/> entry and sends a
    /// <see cref="MessageType.DistStored"/> frame on this connection when it is done.
    /// </summary>
    public bool StorePending { get; init; }

    public static DistCompileResult Fail(string reason) => new() { Status = DistCompileStatus.Failed, Reason = reason };

    public static DistCompileResult Local(string reason) => new() { Status = DistCompileStatus.NotDistributed, Reason = reason };
}
