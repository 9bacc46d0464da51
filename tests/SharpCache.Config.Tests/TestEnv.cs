namespace SharpCache.Config.Tests;

/// <summary>A fake environment: HOME and XDG dirs point at a path that does not exist unless a test makes it.</summary>
internal static class TestEnv
{
    public const string Home = "/nonexistent-home";

    public static Func<string, string?> Of(params (string Name, string Value)[] vars)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = Home };
        foreach (var (name, value) in vars)
        {
            map[name] = value;
        }

        return name => map.TryGetValue(name, out var v) ? v : null;
    }

    public static SharpCacheConfig Load(string toml, params (string Name, string Value)[] vars) =>
        ConfigLoader.Load(Of(vars), new ConfigFileContent("/etc/test/config", toml));

    public static SharpCacheConfig LoadJson(string json, params (string Name, string Value)[] vars) =>
        ConfigLoader.Load(Of(vars), new ConfigFileContent("/etc/test/config.json", json));

    public static SharpCacheConfig LoadEnv(params (string Name, string Value)[] vars) =>
        ConfigLoader.Load(Of(vars), new ConfigFileContent("/etc/test/config", null));

    public static void NoErrors(SharpCacheConfig config) =>
        Assert.True(config.Errors.Count == 0, string.Join("\n", config.Errors));

    public static ConfigError SingleError(SharpCacheConfig config)
    {
        Assert.True(config.Errors.Count == 1, "expected one error, got:\n" + string.Join("\n", config.Errors));
        return config.Errors[0];
    }
}
