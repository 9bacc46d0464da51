using SharpCache.Config.Parsing;

namespace SharpCache.Config;

/// <summary>
/// Loads the client configuration as sccache does: the config file (<see cref="ConfigPaths.ConfigFile"/>;
/// TOML, or JSON when the name ends in <c>.json</c>) overlaid with the <c>SCCACHE_*</c> variables, then the
/// storage selection. Never throws: every problem is a <see cref="ConfigError"/> in the result, and the value
/// it concerns is ignored (a file with a syntax error is ignored whole).
/// </summary>
public static class ConfigLoader
{
    /// <summary>A config file is a few kilobytes; anything past this is not one.</summary>
    private const int MaxFileSize = 1 << 20;

    /// <summary>Loads from the process environment and the file it names.</summary>
    public static SharpCacheConfig Load() => Load(Environment.GetEnvironmentVariable);

    /// <summary>Loads with <paramref name="env"/> as the environment; <paramref name="file"/> replaces the file on disk when given.</summary>
    public static SharpCacheConfig Load(Func<string, string?> env, ConfigFileContent? file = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var errors = new List<ConfigError>();
        var warnings = new List<string>();
        var defaults = ConfigDefaults.From(env);

        var envSink = new ErrorSink(ConfigError.Environment, errors, warnings);
        var envConfig = EnvConfigReader.Read(new EnvReader(env, envSink), defaults);

        file ??= ReadFile(ConfigPaths.ConfigFile(env, File.Exists), warnings);
        var fileConfig = file.Text is null ? new FileConfig() : Parse(file, defaults, errors, warnings) ?? new FileConfig();
        var filePath = file.Text is null ? null : file.Path;

        var cache = fileConfig.Cache.Merge(envConfig.Cache);
        string Origin(string section) => SectionFromEnvironment(envConfig.Cache, section) ? ConfigError.Environment : filePath ?? ConfigError.Environment;
        var storage = StorageResolver.Resolve(cache, defaults, envSink, Origin);

        var dist = fileConfig.Dist ?? new DistConfig { CacheDir = defaults.DistCacheDirectory };
        var basedirs = envConfig.Basedirs is not null
            ? Basedirs.Normalize(envConfig.Basedirs, envSink, "SCCACHE_BASEDIRS")
            : Basedirs.Normalize(fileConfig.Basedirs, new ErrorSink(filePath ?? ConfigError.Environment, errors, warnings), "basedirs");
        var clientSide = (envConfig.ClientSideMode ?? fileConfig.ClientSideMode) && env("SCCACHE_LOG") is null && dist.SchedulerAddress is null;

        return new SharpCacheConfig
        {
            FilePath = filePath,
            Cache = cache,
            Storage = storage,
            Dist = dist,
            ServerStartupTimeout = fileConfig.ServerStartupTimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : SharpCacheConfig.DefaultServerStartupTimeout,
            Basedirs = basedirs,
            ClientSideMode = clientSide,
            Errors = errors,
            Warnings = warnings,
        };
    }

    /// <summary>Parses one client config file's text; errors name <paramref name="path"/>. Null config when the text is not valid TOML/JSON.</summary>
    public static FileConfig? ParseFile(string path, string text, Func<string, string?> env, out IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(env);
        var list = new List<ConfigError>();
        var config = Parse(new ConfigFileContent(path, text), ConfigDefaults.From(env), list, []);
        errors = list;
        return config;
    }

    /// <summary>What the <c>SCCACHE_*</c> variables alone say (no file).</summary>
    public static EnvConfig ReadEnvironment(Func<string, string?> env, out IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(env);
        var list = new List<ConfigError>();
        var config = EnvConfigReader.Read(new EnvReader(env, new ErrorSink(ConfigError.Environment, list, [])), ConfigDefaults.From(env));
        errors = list;
        return config;
    }

    internal static ConfigTable? ParseTree(ConfigFileContent file, ErrorSink sink) =>
        file.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? JsonTreeReader.Read(file.Text ?? string.Empty, sink)
            : TomlTreeReader.Read(file.Text ?? string.Empty, sink);

    /// <summary>The file's text, or null text when it does not exist or cannot be read (sccache goes on without it; a warning says why).</summary>
    internal static ConfigFileContent ReadFile(string path, List<string> warnings)
    {
        try
        {
            return new ConfigFileContent(path, File.Exists(path) ? ReadText(path) : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{path}: not read: {e.Message}");
            return new ConfigFileContent(path, null);
        }
    }

    /// <summary>
    /// The file as UTF-8 text through <see cref="RandomAccess"/>: on the first use in a NativeAOT process this costs
    /// ~10 µs less than <see cref="File.ReadAllText(string)"/> (no stream, no encoding detection).
    /// </summary>
    private static string ReadText(string path)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        if (length > MaxFileSize)
        {
            throw new IOException($"larger than {MaxFileSize} bytes");
        }

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length && RandomAccess.Read(handle, bytes.AsSpan(read), read) is var n and > 0)
        {
            read += n;
        }

        var text = bytes.AsSpan(0, read);
        return System.Text.Encoding.UTF8.GetString(text.StartsWith("\uFEFF"u8) ? text[3..] : text);
    }

    private static FileConfig? Parse(ConfigFileContent file, ConfigDefaults defaults, List<ConfigError> errors, List<string> warnings)
    {
        var sink = new ErrorSink(file.Path, errors, warnings);
        var root = ParseTree(file, sink);
        return root is null ? null : FileConfigReader.Read(root, sink, defaults);
    }

    private static bool SectionFromEnvironment(CacheConfigs env, string section) => section switch
    {
        "multilevel" => env.MultiLevel is not null,
        "disk" => env.Disk is not null,
        _ => BackendNames.TryParse(section, out var kind) && env.Remote(kind) is not null,
    };
}
