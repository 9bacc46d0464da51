namespace SharpCache.Config.Parsing;

/// <summary>Defaults that depend on the environment (home and XDG directories), computed once per load.</summary>
internal sealed record ConfigDefaults(string Home, string CacheDirectory, string DistCacheDirectory)
{
    public static ConfigDefaults From(Func<string, string?> env)
    {
        var home = ConfigPaths.Home(env);
        return new ConfigDefaults(home, ConfigPaths.DefaultCacheDirectory(env), ConfigPaths.DefaultDistCacheDirectory(env));
    }
}
