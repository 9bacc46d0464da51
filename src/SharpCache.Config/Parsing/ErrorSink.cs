namespace SharpCache.Config.Parsing;

/// <summary>Collects <see cref="ConfigError"/>s and warnings for one source (a file or the environment).</summary>
internal sealed class ErrorSink(string source, List<ConfigError> errors, List<string> warnings)
{
    public string Source { get; } = source;

    public List<ConfigError> Errors { get; } = errors;

    public List<string> Warnings { get; } = warnings;

    public void Add(string key, string message, int line = 0, int column = 0) =>
        Errors.Add(new ConfigError(Source, key, message, line, column));

    public void Warn(string key, string message) =>
        Warnings.Add(key.Length > 0 ? $"{Source}: {key}: {message}" : $"{Source}: {message}");
}
