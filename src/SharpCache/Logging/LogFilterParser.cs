namespace SharpCache.Logging;

/// <summary>
/// Parses an env_logger-style <c>SCCACHE_LOG</c> value: <c>debug</c>, <c>sccache=trace</c>,
/// <c>sharpcache=info,hyper=warn</c>. Directives for other modules are ignored; a bare level
/// applies unless a directive names us. Anything unparsable means off.
/// </summary>
internal static class LogFilterParser
{
    public static LogLevel Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return LogLevel.Off;
        }

        LogLevel? bare = null;
        LogLevel? ours = null;
        foreach (var raw in filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (TryParseLevel(raw, out var level))
                {
                    bare = level;
                }
                else if (IsOurModule(raw))
                {
                    // env_logger: a bare module name means "everything" for that module.
                    ours = LogLevel.Trace;
                }

                continue;
            }

            var module = raw[..eq].Trim();
            if (IsOurModule(module) && TryParseLevel(raw[(eq + 1)..].Trim(), out var moduleLevel))
            {
                ours = moduleLevel;
            }
        }

        return ours ?? bare ?? LogLevel.Off;
    }

    private static bool IsOurModule(string module) =>
        module.StartsWith("sccache", StringComparison.OrdinalIgnoreCase)
        || module.StartsWith("sharpcache", StringComparison.OrdinalIgnoreCase);

    private static bool TryParseLevel(string text, out LogLevel level)
    {
        level = text.ToLowerInvariant() switch
        {
            "off" => LogLevel.Off,
            "error" => LogLevel.Error,
            "warn" or "warning" => LogLevel.Warn,
            "info" => LogLevel.Info,
            "debug" => LogLevel.Debug,
            "trace" => LogLevel.Trace,
            _ => (LogLevel)(-1),
        };
        return level >= LogLevel.Off;
    }
}
