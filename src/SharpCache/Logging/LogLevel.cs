namespace SharpCache.Logging;

/// <summary>Severity, in <c>SCCACHE_LOG</c>'s (env_logger's) order: a filter lets through its level and below.</summary>
internal enum LogLevel
{
    Off = 0,
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}
