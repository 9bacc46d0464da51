namespace SharpCache.Config.Tests;

public sealed class ConfigPathsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sharpcache-cfg-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void ConfigFile_SccacheConf_Wins()
    {
        Assert.Equal("/x/y.toml", ConfigPaths.ConfigFile(TestEnv.Of(("SCCACHE_CONF", "/x/y.toml")), _ => true));
    }

    [Fact]
    public void ConfigFile_OursExists_Ours()
    {
        var env = TestEnv.Of(("XDG_CONFIG_HOME", "/xdg"));

        Assert.Equal("/xdg/sharpcache/config", ConfigPaths.ConfigFile(env, p => p == "/xdg/sharpcache/config"));
    }

    [Fact]
    public void ConfigFile_OnlySccacheOrNone_Sccache()
    {
        Assert.Equal("/xdg/sccache/config", ConfigPaths.ConfigFile(TestEnv.Of(("XDG_CONFIG_HOME", "/xdg")), _ => false));
        Assert.Equal(TestEnv.Home + "/.config/sccache/config", ConfigPaths.ConfigFile(TestEnv.Of(), _ => false));
    }

    [Fact]
    public void CachedConfigFile_DefaultsToOursUnlessSccacheHasOne()
    {
        var env = TestEnv.Of(("XDG_CONFIG_HOME", "/xdg"));

        Assert.Equal("/xdg/sharpcache/cached-config", ConfigPaths.CachedConfigFile(env, _ => false));
        Assert.Equal("/xdg/sccache/cached-config", ConfigPaths.CachedConfigFile(env, p => p == "/xdg/sccache/cached-config"));
        Assert.Equal("/c", ConfigPaths.CachedConfigFile(TestEnv.Of(("SCCACHE_CACHED_CONF", "/c")), _ => false));
    }

    [Fact]
    public void Load_SccacheConfigOfAFirefoxDeveloper_JustWorks()
    {
        var sccacheDir = Directory.CreateDirectory(Path.Combine(_root.FullName, "sccache"));
        File.WriteAllText(Path.Combine(sccacheDir.FullName, "config"), SccacheExamples.FirefoxDistClient);

        var config = ConfigLoader.Load(TestEnv.Of(("XDG_CONFIG_HOME", _root.FullName)));

        TestEnv.NoErrors(config);
        Assert.Equal(Path.Combine(sccacheDir.FullName, "config"), config.FilePath);
        Assert.Equal(3, config.Dist.Toolchains.Count);
    }

    [Fact]
    public void Load_OurFileNextToSccaches_OursRead()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "sccache"));
        Directory.CreateDirectory(Path.Combine(_root.FullName, "sharpcache"));
        File.WriteAllText(Path.Combine(_root.FullName, "sccache", "config"), "[cache.disk]\ndir = \"/theirs\"\n");
        File.WriteAllText(Path.Combine(_root.FullName, "sharpcache", "config"), "[cache.disk]\ndir = \"/ours\"\n");

        var config = ConfigLoader.Load(TestEnv.Of(("XDG_CONFIG_HOME", _root.FullName)));

        Assert.Equal("/ours", config.Storage.Disk.Dir);
    }

    [Fact]
    public void Load_JsonFileNamedBySccacheConf_ReadAsJson()
    {
        var path = Path.Combine(_root.FullName, "conf.json");
        File.WriteAllText(path, "{ \"cache\": { \"disk\": { \"dir\": \"/json\" } } }");

        var config = ConfigLoader.Load(TestEnv.Of(("SCCACHE_CONF", path)));

        TestEnv.NoErrors(config);
        Assert.Equal("/json", config.Storage.Disk.Dir);
    }

    [Fact]
    public void ParseFile_ReturnsFileConfigAndErrors()
    {
        var file = ConfigLoader.ParseFile("/f", "basedirs = [\"/a\"]\nx = 1\n", TestEnv.Of(), out var errors);

        Assert.Equal(["/a"], file!.Basedirs);
        Assert.Equal("x", Assert.Single(errors).Key);
        Assert.Null(ConfigLoader.ParseFile("/f", "= broken", TestEnv.Of(), out _));
    }
}
