namespace SharpCache.Protocol;

/// <summary>What became of a <see cref="DistCompileRequest"/>. Values are part of the wire format.</summary>
public enum DistCompileStatus : byte
{
    /// <summary>The compiler ran on a build server; its exit code, output and files are in the result (a non-zero exit is a genuine compile error).</summary>
    Completed = 0,

    /// <summary>The cluster could not do it (unreachable, no capacity, server died, bad toolchain, ...): compile locally. Counted as a dist error.</summary>
    Failed = 1,

    /// <summary>Not for the cluster (no <c>[dist]</c>, a <c>no_dist</c> compiler, dist paused after failures): compile locally, no error.</summary>
    NotDistributed = 2,
}
