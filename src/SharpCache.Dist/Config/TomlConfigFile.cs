using Tomlyn;
using Tomlyn.Model;

namespace SharpCache.Dist.Config;

/// <summary>Reads a config file into a strict <see cref="TomlSection"/>; unreadable or unparsable = <see cref="ConfigException"/>.</summary>
internal static class TomlConfigFile
{
    public static TomlSection Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, "", $"cannot read the file: {e.Message}");
        }

        return Parse(path, text);
    }

    public static TomlSection Parse(string path, string text)
    {
        try
        {
            var table = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
            return new TomlSection(path, "", table);
        }
        catch (TomlException e)
        {
            throw new ConfigException(path, "", $"invalid TOML at line {e.Line}, column {e.Column}: {e.Message}");
        }
    }
}
