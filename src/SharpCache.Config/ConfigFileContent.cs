namespace SharpCache.Config;

/// <summary>A config file given to <see cref="ConfigLoader"/> instead of the one on disk (tests): its path (which picks TOML or JSON) and text, or null text for "no file".</summary>
public sealed record ConfigFileContent(string Path, string? Text);
