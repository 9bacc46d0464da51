namespace SharpCache.Dist.Config;

/// <summary>
/// An invalid scheduler or build-server config file. The message always names the file, the key
/// and the reason (DESIGN.md §6); the command line turns it into exit code 2.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string path, string key, string reason)
        : base($"{path}: {(key.Length == 0 ? "" : $"key '{key}': ")}{reason}")
    {
        Path = path;
        Key = key;
        Reason = reason;
    }

    public ConfigException()
    {
        Path = Key = Reason = "";
    }

    public ConfigException(string message) : base(message)
    {
        Path = Key = "";
        Reason = message;
    }

    public ConfigException(string message, Exception inner) : base(message, inner)
    {
        Path = Key = "";
        Reason = message;
    }

    /// <summary>The config file.</summary>
    public string Path { get; }

    /// <summary>The dotted key at fault ("" when the file as a whole is at fault).</summary>
    public string Key { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
