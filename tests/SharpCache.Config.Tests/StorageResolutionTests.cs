namespace SharpCache.Config.Tests;

public class StorageResolutionTests
{
    private const string AllRemotes = """
        [cache.s3]
        bucket = "b"
        no_credentials = false
        [cache.redis]
        endpoint = "redis://r"
        [cache.memcached]
        url = "tcp://m"
        [cache.gcs]
        bucket = "g"
        key_prefix = ""
        rw_mode = "READ_WRITE"
        [cache.gha]
        enabled = true
        version = ""
        [cache.azure]
        container = "c"
        key_prefix = ""
        connection_string = "x"
        [cache.webdav]
        endpoint = "http://d"
        """;

    [Fact]
    public void Resolve_SeveralRemotes_SccachePrecedence()
    {
        var order = new[] { "s3", "redis", "memcached", "gcs", "gha", "azure", "webdav" };
        var toml = AllRemotes;
        foreach (var expected in order)
        {
            var config = TestEnv.Load(toml);
            TestEnv.NoErrors(config);
            Assert.Equal(expected, Assert.Single(config.Storage.Levels).Name);
            Assert.False(config.Storage.IncludesDisk);
            Assert.True(config.Storage.HasRemote);

            // Drop the winner's section and look again.
            var start = toml.IndexOf($"[cache.{expected}]", StringComparison.Ordinal);
            var next = toml.IndexOf("[cache.", start + 1, StringComparison.Ordinal);
            toml = next < 0 ? toml[..start] : toml[..start] + toml[next..];
        }

        Assert.IsType<DiskCacheConfig>(Assert.Single(TestEnv.Load(toml).Storage.Levels));
    }

    [Theory]
    [InlineData("[cache.oss]\nbucket = \"o\"\nno_credentials = true\n", "cache.oss", "Alibaba OSS is not supported by SharpCache")]
    [InlineData("[cache.cos]\nbucket = \"c\"\n", "cache.cos", "Tencent COS is not supported by SharpCache")]
    public void Resolve_UnsupportedBackendSelected_ErrorAndDisk(string toml, string key, string message)
    {
        var config = TestEnv.Load(toml);

        var error = TestEnv.SingleError(config);
        Assert.Equal(key, error.Key);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.IsType<DiskCacheConfig>(Assert.Single(config.Storage.Levels));
    }

    [Fact]
    public void Resolve_UnsupportedBackendNotSelected_NoError()
    {
        TestEnv.NoErrors(TestEnv.Load("[cache.redis]\nendpoint = \"redis://r\"\n[cache.oss]\nbucket = \"o\"\nno_credentials = true\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("url = \"redis://u\"\nendpoint = \"redis://e\"\n")]
    [InlineData("endpoint = \"redis://e\"\ncluster_endpoints = \"redis://a,redis://b\"\n")]
    public void Resolve_RedisWithoutExactlyOneAddress_Error(string keys)
    {
        var config = TestEnv.Load("[cache.redis]\n" + keys);

        var error = TestEnv.SingleError(config);
        Assert.Equal("cache.redis", error.Key);
        Assert.Contains("exactly one of endpoint, cluster_endpoints and url", error.Message, StringComparison.Ordinal);
        Assert.IsType<DiskCacheConfig>(Assert.Single(config.Storage.Levels));
    }

    [Fact]
    public void Resolve_RedisUrlWithUsername_Error()
    {
        var error = TestEnv.SingleError(TestEnv.Load("[cache.redis]\nurl = \"redis://h\"\nusername = \"u\"\n"));

        Assert.Contains("no effect with url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MemcachedExpirationOver30Days_Error()
    {
        var error = TestEnv.SingleError(TestEnv.Load("[cache.memcached]\nurl = \"tcp://m\"\nexpiration = 2592001\n"));

        Assert.Equal("cache.memcached", error.Key);
    }

    [Fact]
    public void Resolve_FileAzureWithoutAuth_Error()
    {
        var error = TestEnv.SingleError(TestEnv.Load("[cache.azure]\ncontainer = \"c\"\nkey_prefix = \"\"\n"));

        Assert.Equal(("/etc/test/config", "cache.azure"), (error.Source, error.Key));
    }

    [Fact]
    public void Resolve_MultiLevelChain_LevelsInOrder()
    {
        var config = TestEnv.Load(AllRemotes + "\n[cache.multilevel]\nchain = [\"disk\", \" Redis \", \"s3\"]\nwrite_error_policy = \"ignore\"\n[cache.disk]\ndir = \"/l0\"\n");

        TestEnv.NoErrors(config);
        var storage = config.Storage;
        Assert.True(storage.IsMultiLevel);
        Assert.Equal(WriteErrorPolicy.Ignore, storage.WriteErrorPolicy);
        Assert.Equal([CacheBackendKind.Disk, CacheBackendKind.Redis, CacheBackendKind.S3], storage.Levels.Select(l => l.Kind));
        Assert.Equal("/l0", Assert.IsType<DiskCacheConfig>(storage.Levels[0]).Dir);
        Assert.True(storage.IncludesDisk);
        Assert.Equal([CacheBackendKind.Redis, CacheBackendKind.S3], storage.RemoteLevels.Select(l => l.Kind));
    }

    [Fact]
    public void Resolve_ChainWithoutDisk_RemoteOnly()
    {
        var config = TestEnv.Load(AllRemotes + "\n[cache.multilevel]\nchain = [\"memcached\", \"webdav\"]\n");

        TestEnv.NoErrors(config);
        Assert.False(config.Storage.IncludesDisk);
        Assert.Equal(WriteErrorPolicy.L0, config.Storage.WriteErrorPolicy);
        Assert.Equal(["memcached", "webdav"], config.Storage.Levels.Select(l => l.Name));
    }

    [Fact]
    public void Resolve_ChainFromEnvironment_DiskTakesDefaultsWhenUnconfigured()
    {
        var config = TestEnv.LoadEnv(("SCCACHE_MULTILEVEL_CHAIN", "disk,redis"), ("SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY", "ALL"), ("SCCACHE_REDIS_ENDPOINT", "redis://r"));

        TestEnv.NoErrors(config);
        Assert.Equal([CacheBackendKind.Disk, CacheBackendKind.Redis], config.Storage.Levels.Select(l => l.Kind));
        Assert.Equal(WriteErrorPolicy.All, config.Storage.WriteErrorPolicy);
    }

    [Fact]
    public void Resolve_EnvChain_ReplacesFileChain()
    {
        var config = TestEnv.Load("[cache.redis]\nendpoint = \"redis://r\"\n[cache.multilevel]\nchain = [\"redis\"]\n", ("SCCACHE_MULTILEVEL_CHAIN", "disk"));

        Assert.Equal([CacheBackendKind.Disk], config.Storage.Levels.Select(l => l.Kind));
    }

    [Theory]
    [InlineData("[\"disk\", \"floppy\"]", "unknown cache level 'floppy'")]
    [InlineData("[\"disk\", \"redis\"]", "level 'redis' is not configured")]
    [InlineData("[\"disk\", \"disk\"]", "level 'disk' appears more than once")]
    public void Resolve_BadChain_ErrorNamesLevel(string chain, string message)
    {
        var config = TestEnv.Load($"[cache.multilevel]\nchain = {chain}\n");

        var error = TestEnv.SingleError(config);
        Assert.Equal("cache.multilevel.chain", error.Key);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal([CacheBackendKind.Disk], config.Storage.Levels.Select(l => l.Kind));
    }

    [Fact]
    public void Resolve_EnvChainError_SourceIsEnvironment()
    {
        var error = TestEnv.SingleError(TestEnv.LoadEnv(("SCCACHE_MULTILEVEL_CHAIN", "disk,s3")));

        Assert.Equal(ConfigError.Environment, error.Source);
    }

    [Fact]
    public void Resolve_EmptyChain_SingleBackendRules()
    {
        var config = TestEnv.Load("[cache.redis]\nendpoint = \"redis://r\"\n[cache.multilevel]\nchain = []\n");

        TestEnv.NoErrors(config);
        Assert.False(config.Storage.IsMultiLevel);
        Assert.IsType<RedisCacheConfig>(Assert.Single(config.Storage.Levels));
    }

    [Fact]
    public void Resolve_RemoteOnly_DiskSettingsStillThere()
    {
        var config = TestEnv.Load("[cache.disk]\ndir = \"/d\"\n", ("SCCACHE_REDIS_ENDPOINT", "redis://r"));

        Assert.False(config.Storage.IncludesDisk);
        Assert.Equal("/d", config.Storage.Disk.Dir);
    }
}
