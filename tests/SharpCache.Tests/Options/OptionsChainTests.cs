using SharpCache.Admin;
using SharpCache.Client.Storage;
using SharpCache.Config;
using SharpCache.Configuration;

namespace SharpCache.Tests.Options;

/// <summary>The client's reading of the configured chain: which levels it serves itself, which go to the daemon, and what a broken file does.</summary>
public sealed class OptionsChainTests
{
    private static readonly Dictionary<string, string> BaseEnv = new()
    {
        ["HOME"] = "/nonexistent/u",
        ["XDG_CONFIG_HOME"] = "/nonexistent/u/.config",
    };

    [Fact]
    public void NoConfig_IsTheLocalDiskAlone()
    {
        var options = Load(null);
        Assert.True(ChainSettings.UsesLocalDisk(options));
        Assert.False(ChainSettings.HasRemoteTiers(options));
        Assert.False(ChainSettings.LocalReadOnly(options));
        Assert.Empty(options.ConfigErrors);
    }

    [Fact]
    public void RedisSection_IsRemoteOnly_AsInSccache()
    {
        var options = Load("[cache.redis]\nendpoint = \"redis://127.0.0.1:6379\"\n");
        Assert.False(ChainSettings.UsesLocalDisk(options));
        Assert.True(ChainSettings.HasRemoteTiers(options));
    }

    [Fact]
    public void MultiLevelChain_WithDisk_IsBoth()
    {
        var options = Load("""
            [cache.disk]
            dir = "/tmp/sc"
            rw_mode = "READ_ONLY"

            [cache.redis]
            endpoint = "redis://127.0.0.1:6379"

            [cache.multilevel]
            chain = ["disk", "redis"]
            """);
        Assert.True(ChainSettings.UsesLocalDisk(options));
        Assert.True(ChainSettings.HasRemoteTiers(options));
        Assert.True(ChainSettings.LocalReadOnly(options));
        Assert.Equal("/tmp/sc", options.CacheDirectory);
    }

    [Fact]
    public void EnvironmentWinsOverTheFile()
    {
        var options = Load("[cache.redis]\nendpoint = \"redis://127.0.0.1:6379\"\n", ("SCCACHE_MULTILEVEL_CHAIN", "disk,redis"));
        Assert.True(ChainSettings.UsesLocalDisk(options));
        Assert.True(ChainSettings.HasRemoteTiers(options));
    }

    [Fact]
    public void BrokenFile_AdminVerbsExit2NamingFileAndKey_AndTheDiskStillWorks()
    {
        var options = Load("[cache.redis]\nendpoint = \"redis://127.0.0.1:6379\"\nttl = \"soon\"\n");
        var error = Assert.Single(options.ConfigErrors);
        Assert.Contains("/etc/sc.toml", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("cache.redis.ttl", error.ToString(), StringComparison.Ordinal);

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AdminCommands.Run(["-s"], options, stdout, stderr, _ => false);
        Assert.Equal(2, code);
        Assert.Contains("cache.redis.ttl", stderr.ToString(), StringComparison.Ordinal);
    }

    private static SharpCacheOptions Load(string? toml, params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>(BaseEnv) { ["SCCACHE_CONF"] = "/etc/sc.toml" };
        foreach (var (k, v) in extra)
        {
            env[k] = v;
        }

        return SharpCacheOptions.FromEnvironment(name => env.GetValueOrDefault(name), new ConfigFileContent("/etc/sc.toml", toml));
    }
}
