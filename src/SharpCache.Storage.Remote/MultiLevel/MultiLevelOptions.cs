namespace SharpCache.Storage.Remote.MultiLevel;

/// <summary>How a <see cref="MultiLevelStorage"/> writes, validates and tracks background work.</summary>
public sealed record MultiLevelOptions
{
    public WriteErrorPolicy WriteErrorPolicy { get; init; } = WriteErrorPolicy.L0;

    /// <summary>
    /// Checks a value read from a level (e.g. the entry header's checksum). A value it rejects
    /// counts as an error at that level, is treated as a miss there (the next level is tried)
    /// and is never back-filled. Null: every value is accepted.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, bool>? Validator { get; init; }

    /// <summary>Background writes (back-fills and deferred puts) in flight at most; more are dropped and counted.</summary>
    public int MaxPendingBackgroundWrites { get; init; } = 256;

    /// <summary>Bound on one background write, for levels without their own timeout (wrap levels in a ResilientRemoteStorage for tighter ones).</summary>
    public TimeSpan BackgroundWriteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
