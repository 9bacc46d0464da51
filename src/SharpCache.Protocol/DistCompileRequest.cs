namespace SharpCache.Protocol;

/// <summary>
/// Client → daemon: one compile for the build cluster, fully prepared by the client (preprocessed
/// input, remote command line). Paths are absolute client paths; a build server runs the command at
/// the same paths inside its sandbox, so the outputs are those of a local compile.
/// </summary>
public sealed record DistCompileRequest
{
    /// <summary>The local compiler (resolved path): what the toolchain is packaged from, or matched against <c>path_override</c>/<c>no_dist</c>.</summary>
    public required string CompilerPath { get; init; }

    /// <summary>The path the user invoked the compiler by (also matched against <c>[[dist.toolchains]]</c>).</summary>
    public required string InvokedAs { get; init; }

    /// <summary>Working directory of the compile (the same on the server).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Arguments after the compiler.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Environment of the remote compiler (the daemon adds <c>PATH</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>
    /// Files the server needs (absolute path, contents): for C/C++ the preprocessed source. A decoded request's contents are
    /// slices of the frame it was read from (<see cref="DistMessageCodec.TryReadRequest"/>): valid while that frame is.
    /// </summary>
    public required IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> Inputs { get; init; }

    /// <summary>Absolute paths of the files to bring back.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>Outputs that must come back for the compile to count (the object); the rest are optional.</summary>
    public required IReadOnlyList<string> RequiredOutputs { get; init; }

    /// <summary>
    /// Include-rewritten text (<c>rewrite_includes_only</c>): the client compiles again locally when the remote compile
    /// fails, so such a result is not a distributed compilation (nor a dist error: the text, not the cluster, failed).
    /// </summary>
    public bool RetryLocallyOnError { get; init; }

    /// <summary>The cache entry the daemon is to write after a successful compile; null: the client stores it.</summary>
    public DistStoreRequest? Store { get; init; }
}
