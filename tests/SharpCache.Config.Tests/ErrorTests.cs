namespace SharpCache.Config.Tests;

public class ErrorTests
{
    [Fact]
    public void Load_UnknownKey_NamesFileKeyPositionAndAlternatives()
    {
        var config = TestEnv.Load("[cache.redis]\nendpoint = \"redis://x\"\nttll = 5\n");

        var error = TestEnv.SingleError(config);
        Assert.Equal("/etc/test/config", error.Source);
        Assert.Equal("cache.redis.ttll", error.Key);
        Assert.Equal(3, error.Line);
        Assert.Equal(1, error.Column);
        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
        Assert.Contains("ttl", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("/etc/test/config:3:1: cache.redis.ttll: unknown key; expected one of: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus = 1\n", "bogus")]
    [InlineData("[cache.bogus]\nx = 1\n", "cache.bogus")]
    [InlineData("[cache.disk]\nbogus = 1\n", "cache.disk.bogus")]
    [InlineData("[cache.disk.preprocessor_cache_mode]\nbogus = true\n", "cache.disk.preprocessor_cache_mode.bogus")]
    [InlineData("[cache.multilevel]\nchain = []\nbogus = 1\n", "cache.multilevel.bogus")]
    [InlineData("[dist]\nbogus = 1\n", "dist.bogus")]
    [InlineData("[dist.auth]\ntype = \"token\"\ntoken = \"t\"\nbogus = 1\n", "dist.auth.bogus")]
    [InlineData("[[dist.toolchains]]\ntype = \"no_dist\"\ncompiler_executable = \"/cc\"\nbogus = 1\n", "dist.toolchains[0].bogus")]
    [InlineData("[cache.gcs]\nbucket = \"b\"\nkey_prefix = \"\"\nrw_mode = \"READ_ONLY\"\noauth_url = \"x\"\n", "cache.gcs.oauth_url")]
    [InlineData("[cache.gha]\nenabled = true\nversion = \"\"\nurl = \"x\"\n", "cache.gha.url")]
    public void Load_UnknownKeyAnywhere_IsAnError(string toml, string key)
    {
        Assert.Equal(key, TestEnv.SingleError(TestEnv.Load(toml)).Key);
    }

    [Theory]
    [InlineData("[cache.s3]\nbucket = \"b\"\n", "cache.s3.no_credentials")]
    [InlineData("[cache.s3]\nno_credentials = true\n", "cache.s3.bucket")]
    [InlineData("[cache.memcached]\nkey_prefix = \"p\"\n", "cache.memcached.url")]
    [InlineData("[cache.gcs]\nbucket = \"b\"\nkey_prefix = \"p\"\n", "cache.gcs.rw_mode")]
    [InlineData("[cache.gcs]\nbucket = \"b\"\nrw_mode = \"READ_ONLY\"\n", "cache.gcs.key_prefix")]
    [InlineData("[cache.azure]\ncontainer = \"c\"\n", "cache.azure.key_prefix")]
    [InlineData("[cache.gha]\nenabled = true\n", "cache.gha.version")]
    [InlineData("[cache.webdav]\nkey_prefix = \"p\"\n", "cache.webdav.endpoint")]
    [InlineData("[cache.oss]\nbucket = \"b\"\n", "cache.oss.no_credentials")]
    [InlineData("[cache.cos]\nendpoint = \"e\"\n", "cache.cos.bucket")]
    [InlineData("[cache.multilevel]\nwrite_error_policy = \"l0\"\n", "cache.multilevel.chain")]
    [InlineData("[dist.auth]\ntoken = \"t\"\n", "dist.auth.type")]
    [InlineData("[dist.auth]\ntype = \"token\"\n", "dist.auth.token")]
    [InlineData("[dist.auth]\ntype = \"oauth2_implicit\"\nclient_id = \"c\"\n", "dist.auth.auth_url")]
    [InlineData("[dist.auth]\ntype = \"oauth2_code_grant_pkce\"\nclient_id = \"c\"\nauth_url = \"a\"\n", "dist.auth.token_url")]
    [InlineData("[[dist.toolchains]]\ntype = \"path_override\"\ncompiler_executable = \"/cc\"\narchive = \"/a.tgz\"\n", "dist.toolchains[0].archive_compiler_executable")]
    [InlineData("[[dist.toolchains]]\ntype = \"no_dist\"\n", "dist.toolchains[0].compiler_executable")]
    public void Load_MissingRequiredKey_NamesIt(string toml, string key)
    {
        var error = TestEnv.SingleError(TestEnv.Load(toml));

        Assert.Equal(key, error.Key);
        Assert.Equal("missing required key", error.Message);
        Assert.True(error.Line > 0);
    }

    [Theory]
    [InlineData("server_startup_timeout_ms = \"10\"\n", "server_startup_timeout_ms", "expected a non-negative integer, found a string")]
    [InlineData("server_startup_timeout_ms = -1\n", "server_startup_timeout_ms", "must be between 0 and")]
    [InlineData("client_side_mode = 1\n", "client_side_mode", "expected a boolean (true or false), found an integer")]
    [InlineData("basedirs = \"/a\"\n", "basedirs", "expected an array of strings, found a string")]
    [InlineData("basedirs = [1]\n", "basedirs[0]", "expected a string, found an integer")]
    [InlineData("cache = 1\n", "cache", "expected a table, found an integer")]
    [InlineData("[cache.disk]\nsize = \"lots\"\n", "cache.disk.size", "invalid size value 'lots'")]
    [InlineData("[cache.disk]\nsize = -5\n", "cache.disk.size", "negative values not supported")]
    [InlineData("[cache.disk]\nsize = 1.5\n", "cache.disk.size", "found a float")]
    [InlineData("[cache.disk]\nrw_mode = \"read_only\"\n", "cache.disk.rw_mode", "unknown value 'read_only'; expected READ_ONLY or READ_WRITE")]
    [InlineData("[cache.redis]\nendpoint = \"redis://x\"\ndb = 4294967296\n", "cache.redis.db", "must be between 0 and 4294967295")]
    [InlineData("[cache.redis]\nendpoint = \"redis://x\"\nttl = 1\nexpiration = 2\n", "cache.redis.expiration", "another name for 'ttl'")]
    [InlineData("[cache.memcached]\nurl = \"tcp://a\"\nendpoint = \"tcp://b\"\n", "cache.memcached.endpoint", "another name for 'url'")]
    [InlineData("[cache.multilevel]\nchain = [\"disk\"]\nwrite_error_policy = \"some\"\n", "cache.multilevel.write_error_policy", "expected ignore, l0 or all")]
    [InlineData("[dist.auth]\ntype = \"kerberos\"\n", "dist.auth.type", "unknown auth type 'kerberos'")]
    [InlineData("[[dist.toolchains]]\ntype = \"magic\"\n", "dist.toolchains[0].type", "unknown toolchain type 'magic'")]
    [InlineData("[dist]\nscheduler_url = \"ftp://1.2.3.4\"\n", "dist.scheduler_url", "not an http or https URL")]
    [InlineData("[dist]\nscheduler_url = \"http://1.2.3.4/sub\"\n", "dist.scheduler_url", "has a path")]
    [InlineData("[dist]\ntoolchains = {}\n", "dist.toolchains", "expected an array of tables, found a table")]
    [InlineData("[dist]\ntoolchain_cache_size = \"9X\"\n", "dist.toolchain_cache_size", "invalid size value '9X'")]
    [InlineData("[cache.disk]\ndir = \"\"\n", "cache.disk.dir", "not a valid path")]
    [InlineData("[cache.disk]\ndir = \"/a\\u0000b\"\n", "cache.disk.dir", "not a valid path")]
    [InlineData("[dist]\ncache_dir = \"\"\n", "dist.cache_dir", "not a valid path")]
    public void Load_WrongValue_NamesKeyAndReason(string toml, string key, string reason)
    {
        var error = TestEnv.SingleError(TestEnv.Load(toml));

        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 0, error.ToString());
    }

    [Fact]
    public void Load_BasedirWithNul_Error()
    {
        var config = TestEnv.Load("basedirs = [\"/a\\u0000\", \"/b\"]\n");

        Assert.Equal("basedirs", TestEnv.SingleError(config).Key);
        Assert.Equal(["/b"], config.Basedirs);
    }

    [Fact]
    public void Load_WrongValue_PositionIsTheValue()
    {
        var error = TestEnv.SingleError(TestEnv.Load("[cache.disk]\n\n  size   = \"lots\"\n"));

        Assert.Equal(3, error.Line);
        Assert.Equal(12, error.Column);
    }

    [Fact]
    public void Load_SyntaxError_FileIgnoredWithPosition()
    {
        var config = TestEnv.Load("[cache.disk]\ndir = \"/x\"\nsize = \n");

        var error = TestEnv.SingleError(config);
        Assert.Equal(string.Empty, error.Key);
        Assert.StartsWith("invalid TOML", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.NotEqual("/x", config.Storage.Disk.Dir);
        Assert.StartsWith("/etc/test/config:3:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateKey_Reported()
    {
        var error = TestEnv.SingleError(TestEnv.Load("[cache.disk]\nsize = 1\nsize = 2\n"));

        Assert.Equal("cache.disk.size", error.Key);
        Assert.Equal("defined more than once", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Load_SeveralErrors_AllReported()
    {
        var config = TestEnv.Load("a = 1\n[cache.disk]\nsize = \"x\"\n[cache.s3]\nbucket = 3\n");

        Assert.Equal(["a", "cache.disk.size", "cache.s3.bucket", "cache.s3.no_credentials"], config.Errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_BrokenSection_IgnoredOthersKept()
    {
        var config = TestEnv.Load("[cache.s3]\nbucket = \"b\"\n[cache.redis]\nendpoint = \"redis://r\"\n");

        Assert.Equal("cache.s3.no_credentials", TestEnv.SingleError(config).Key);
        Assert.Null(config.Cache.S3);
        Assert.IsType<RedisCacheConfig>(Assert.Single(config.Storage.Levels));
    }

    [Fact]
    public void Load_UnreadableFile_IsAWarningNotAnError()
    {
        var dir = Directory.CreateTempSubdirectory("sharpcache-cfg-");
        try
        {
            // A directory where the file should be: reading it fails with an IOException.
            var path = Directory.CreateDirectory(Path.Combine(dir.FullName, "config")).FullName;
            var config = ConfigLoader.Load(TestEnv.Of(("SCCACHE_CONF", path)));

            TestEnv.NoErrors(config);
            Assert.Null(config.FilePath);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
