using Microsoft.Extensions.Logging;

namespace SharpCache.Dist.Http;

/// <summary>Ambient choices of an embedded scheduler or build server (tests inject time and logging).</summary>
public sealed record DistHostOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Where logs go; null = single-line console.</summary>
    public ILoggerProvider? LoggerProvider { get; init; }
}
