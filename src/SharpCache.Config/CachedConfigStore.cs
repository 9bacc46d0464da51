using System.Text;
using SharpCache.Config.Parsing;
using Tomlyn;

namespace SharpCache.Config;

/// <summary>
/// Reads and writes the cached config file (<see cref="ConfigPaths.CachedConfigFile"/>). Reading never throws
/// (a missing file is an empty config; a broken one is reported). Writing replaces the file atomically
/// (temp file + rename) with mode 0600, since it holds tokens.
/// </summary>
public static class CachedConfigStore
{
    /// <summary>The cached config at <paramref name="path"/>; empty when the file does not exist.</summary>
    public static CachedConfig Load(string path, out IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        var list = new List<ConfigError>();
        errors = list;
        var file = ConfigLoader.ReadFile(path, []);
        if (file.Text is null)
        {
            return new CachedConfig();
        }

        var sink = new ErrorSink(path, list, []);
        if (ConfigLoader.ParseTree(file, sink) is not { } root)
        {
            return new CachedConfig();
        }

        var top = new TableReader(root, string.Empty, sink);
        var dist = top.Table("dist");
        var tokens = dist?.StringMap("auth_tokens");
        dist?.RejectUnknown();
        top.RejectUnknown();
        return new CachedConfig { AuthTokens = tokens ?? new Dictionary<string, string>(StringComparer.Ordinal) };
    }

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/>, creating its directory. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it cannot.</summary>
    public static void Save(string path, CachedConfig config)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(config);
        var document = new CachedConfigDocument();
        foreach (var (url, token) in config.AuthTokens)
        {
            document.Dist.AuthTokens[url] = token;
        }

        var text = TomlSerializer.Serialize(document, CachedConfigTomlContext.Default.CachedConfigDocument);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Environment.ProcessId}.tmp";
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
