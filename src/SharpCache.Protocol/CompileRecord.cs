namespace SharpCache.Protocol;

/// <summary>
/// What a client tells the daemon about one compile it handled itself. Sent fire-and-forget
/// after the compile's outputs are written, so stats never sit on the critical path.
/// </summary>
public sealed record CompileRecord
{
    public required CompileOutcome Outcome { get; init; }

    /// <summary>sccache's language category: <c>C/C++</c>, <c>Assembler</c>, <c>Rust</c>, ...</summary>
    public string Language { get; init; } = "";

    /// <summary>Language and compiler for the advanced view, e.g. <c>c [gcc]</c>, <c>c++ [clang]</c>.</summary>
    public string AdvancedLabel { get; init; } = "";

    /// <summary>Named reason for <see cref="CompileOutcome.NotCacheable"/>.</summary>
    public string? NotCacheableReason { get; init; }

    /// <summary>The cache read failed (I/O error, corrupt entry); the compile went on as a miss.</summary>
    public bool CacheReadError { get; init; }

    /// <summary>The entry was written to the cache.</summary>
    public bool CacheWritten { get; init; }

    /// <summary>Writing the entry failed (full disk, unwritable directory).</summary>
    public bool CacheWriteError { get; init; }

    /// <summary>The hit came from a remote tier through the daemon (the local disk missed).</summary>
    public bool RemoteHit { get; init; }

    /// <summary>The compile was meant for the cluster but the daemon could not be asked (gone, hung): compiled locally. The daemon counts its own dist failures.</summary>
    public bool DistError { get; init; }

    /// <summary><c>SCCACHE_RECACHE</c> forced a recompile.</summary>
    public bool ForcedRecache { get; init; }

    /// <summary>
    /// The daemon wrote this compile's entry (a distributed compile, <see cref="DistStoreRequest.ReportInRecord"/>) on the
    /// connection the record comes on: its outcome and write time stand for <see cref="CacheWritten"/>,
    /// <see cref="CacheWriteError"/> and <see cref="WriteMicros"/>. On another connection the write is not counted.
    /// </summary>
    public bool StoredByDaemon { get; init; }

    /// <summary>Time spent running the compiler, in microseconds (0 if not run).</summary>
    public long CompileMicros { get; init; }

    /// <summary>Time spent reading and restoring a hit, in microseconds.</summary>
    public long ReadHitMicros { get; init; }

    /// <summary>Time spent writing the entry, in microseconds.</summary>
    public long WriteMicros { get; init; }
}
