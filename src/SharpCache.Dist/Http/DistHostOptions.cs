using Microsoft.Extensions.Logging;

namespace SharpCache.Dist.Http;

/// <summary>Ambient choices of an embedded scheduler or build server (tests inject time and logging).</summary>
public sealed record DistHostOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Where logs go; null = single-line console.</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    /// <summary>
    /// Kestrel runs request handlers on its socket threads instead of queueing them to the thread pool (its
    /// <c>UnsafePreferInlineScheduling</c>). A build server's handlers never block for long (the in-memory inputs are
    /// unpacked and the answer read synchronously, everything else awaits); measured on 2 cores, a job's answer leaves
    /// 0.2-0.3 ms sooner after its compiler exits. The build server sets it; the scheduler, whose allocations share a
    /// lock, does not.
    /// </summary>
    public bool InlineScheduling { get; init; }

    /// <summary>Kestrel receives in 64 KiB blocks (<see cref="LargeBlockMemoryPoolFactory"/>): the build server, whose jobs and toolchains are megabytes.</summary>
    public bool LargeReceiveBlocks { get; init; }
}
