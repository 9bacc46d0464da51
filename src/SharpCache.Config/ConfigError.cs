namespace SharpCache.Config;

/// <summary>
/// One problem found while reading the configuration: where (a file, or <c>environment</c>), which key
/// (a dotted path such as <c>cache.redis.ttl</c>, or an environment variable's name), why, and the
/// 1-based line and column in the file when known (0 otherwise).
/// </summary>
/// <param name="Source">The file path, or <c>environment</c>.</param>
/// <param name="Key">Dotted key path or variable name; empty for a syntax error.</param>
/// <param name="Message">The reason, in words.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
public sealed record ConfigError(string Source, string Key, string Message, int Line = 0, int Column = 0)
{
    /// <summary>The source name used for errors in <c>SCCACHE_*</c> variables.</summary>
    public const string Environment = "environment";

    /// <summary><c>file:line:column: key: reason</c>, leaving out what is unknown.</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
        return Key.Length > 0 ? $"{where}: {Key}: {Message}" : $"{where}: {Message}";
    }
}
