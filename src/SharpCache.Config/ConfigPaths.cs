namespace SharpCache.Config;

/// <summary>
/// Where the configuration lives. The client config is <c>SCCACHE_CONF</c>; else
/// <c>$XDG_CONFIG_HOME/sharpcache/config</c> if it exists; else <c>$XDG_CONFIG_HOME/sccache/config</c>
/// (sccache's own file, so an existing sccache setup works unchanged). <c>XDG_CONFIG_HOME</c> defaults to
/// <c>~/.config</c>. The cached config (OAuth tokens, written by the daemon) is <c>SCCACHE_CACHED_CONF</c>, else
/// <c>cached-config</c> in the first of those two directories that has one, else in <c>sharpcache/</c>.
/// </summary>
public static class ConfigPaths
{
    /// <summary><c>HOME</c>, or <c>/tmp</c> when unset (a build sandbox).</summary>
    public static string Home(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return NonEmpty(env("HOME")) ?? "/tmp";
    }

    /// <summary><c>$XDG_CONFIG_HOME</c> or <c>~/.config</c>.</summary>
    public static string ConfigHome(Func<string, string?> env) =>
        NonEmpty(env("XDG_CONFIG_HOME")) ?? Path.Combine(Home(env), ".config");

    /// <summary><c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>.</summary>
    public static string CacheHome(Func<string, string?> env) =>
        NonEmpty(env("XDG_CACHE_HOME")) ?? Path.Combine(Home(env), ".cache");

    /// <summary>SharpCache's default disk cache: <c>$XDG_CACHE_HOME/sharpcache</c> (sccache's is <c>.../sccache</c>; the formats differ).</summary>
    public static string DefaultCacheDirectory(Func<string, string?> env) => Path.Combine(CacheHome(env), "sharpcache");

    /// <summary>Default <c>[dist] cache_dir</c>: <c>$XDG_CACHE_HOME/sharpcache-dist-client</c>.</summary>
    public static string DefaultDistCacheDirectory(Func<string, string?> env) => Path.Combine(CacheHome(env), "sharpcache-dist-client");

    /// <summary>
    /// The client config file to read (it may not exist). <paramref name="exists"/> is the file-exists test
    /// (injected by tests).
    /// </summary>
    public static string ConfigFile(Func<string, string?> env, Func<string, bool> exists) =>
        Locate(env, exists, "SCCACHE_CONF", "config", preferOurs: false);

    /// <summary>The cached config file (OAuth tokens) to read and write.</summary>
    public static string CachedConfigFile(Func<string, string?> env, Func<string, bool> exists) =>
        Locate(env, exists, "SCCACHE_CACHED_CONF", "cached-config", preferOurs: true);

    /// <summary>A path from a config file made absolute: <c>~/</c> is the home directory, relative is against the working directory.</summary>
    public static string Absolute(string path, string home)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = home + path[1..];
        }

        return Path.GetFullPath(path);
    }

    private static string Locate(Func<string, string?> env, Func<string, bool> exists, string variable, string leaf, bool preferOurs)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(exists);
        if (NonEmpty(env(variable)) is { } explicitPath)
        {
            return explicitPath;
        }

        var configHome = ConfigHome(env);
        var ours = Path.Combine(configHome, "sharpcache", leaf);
        if (exists(ours))
        {
            return ours;
        }

        var theirs = Path.Combine(configHome, "sccache", leaf);
        return preferOurs && !exists(theirs) ? ours : theirs;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
