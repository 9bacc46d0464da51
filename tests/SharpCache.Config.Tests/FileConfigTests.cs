namespace SharpCache.Config.Tests;

public class FileConfigTests
{
    [Fact]
    public void Load_SccacheFullTomlParse_ReadsEverySectionWithoutErrors()
    {
        var config = TestEnv.Load(SccacheExamples.FullToml);

        TestEnv.NoErrors(config);
        var c = config.Cache;
        Assert.Equal(new AzureCacheConfig { Container = "azurecontainer", KeyPrefix = "azureprefix", StorageAccount = "azureaccount" }, c.Azure);
        Assert.Equal("/tmp/.cache/sccache", c.Disk!.Dir);
        Assert.Equal(7L << 30, c.Disk.Size);
        Assert.Equal(PreprocessorCacheModeConfig.Activated, c.Disk.PreprocessorCacheMode);
        Assert.Equal(new GcsCacheConfig { Bucket = "bucket", KeyPrefix = "prefix", CredPath = "/psst/secret/cred", ServiceAccount = "example_service_account", RwMode = CacheRwMode.ReadOnly }, c.Gcs);
        Assert.Equal(new GhaCacheConfig { Enabled = true, Version = "sccache" }, c.Gha);
        Assert.Equal(new MemcachedCacheConfig { Url = "tcp://127.0.0.1:11211", Username = "user", Password = "passwd", Expiration = 90000, KeyPrefix = "/custom/prefix/if/need" }, c.Memcached);
        Assert.Equal(
            new RedisCacheConfig
            {
                Url = "redis://user:passwd@1.2.3.4:6379/?db=1",
                Endpoint = "redis://127.0.0.1:6379",
                ClusterEndpoints = "tcp://10.0.0.1:6379,redis://10.0.0.2:6379",
                Username = "another_user",
                Password = "new_passwd",
                Db = 12,
                Ttl = 86400,
                KeyPrefix = "/my/redis/cache",
            },
            c.Redis);
        Assert.Equal(new S3CacheConfig { Bucket = "name", Region = "us-east-2", Endpoint = "s3-us-east-1.amazonaws.com", UseSsl = true, KeyPrefix = "s3prefix", NoCredentials = true, ServerSideEncryption = false }, c.S3);
        Assert.Equal(new WebDavCacheConfig { Endpoint = "http://127.0.0.1:8080", KeyPrefix = "webdavprefix", Username = "webdavusername", Password = "webdavpassword", Token = "webdavtoken" }, c.WebDav);
        Assert.Equal(new OssCacheConfig { Bucket = "name", Endpoint = "oss-us-east-1.aliyuncs.com", KeyPrefix = "ossprefix", NoCredentials = true, RwMode = CacheRwMode.ReadOnly }, c.Oss);
        Assert.Equal(new CosCacheConfig { Bucket = "name", Endpoint = "cos.na-siliconvalley.myqcloud.com", KeyPrefix = "cosprefix" }, c.Cos);
        Assert.Null(c.MultiLevel);

        Assert.Equal(new Uri("http://1.2.3.4:10600"), config.Dist.SchedulerUrl);
        Assert.Equal(5368709120, config.Dist.ToolchainCacheSize);
        Assert.Equal("/srv/dev/.cache/sccache-dist-client", config.Dist.CacheDir);
        Assert.Equal(new DistTokenAuth("secrettoken"), config.Dist.Auth);
        Assert.Empty(config.Dist.Toolchains);
        Assert.False(config.Dist.RewriteIncludesOnly);
        Assert.Equal(TimeSpan.FromSeconds(10), config.ServerStartupTimeout);
        Assert.Equal("/etc/test/config", config.FilePath);

        // s3 comes first in sccache's precedence.
        Assert.Same(c.S3, Assert.Single(config.Storage.Levels));
    }

    [Fact]
    public void Load_FirefoxDistClientExample_MozillaAuthIsThePkcePreset()
    {
        var config = TestEnv.Load(SccacheExamples.FirefoxDistClient);

        TestEnv.NoErrors(config);
        Assert.Equal(DistOAuth2CodeGrantPkceAuth.Mozilla, config.Dist.Auth);
        Assert.Equal(3, config.Dist.Toolchains.Count);
        var rustc = Assert.IsType<PathOverrideToolchain>(config.Dist.Toolchains[0]);
        Assert.Equal("/path/to/home/.rustup/toolchains/stable-x86_64-apple-darwin/bin/rustc", rustc.CompilerExecutable);
        Assert.Equal("/path/to/home/.mozbuild/rustc-dist-toolchain.tar.xz", rustc.Archive);
        Assert.Equal("/builds/worker/toolchains/rustc/bin/rustc", rustc.ArchiveCompilerExecutable);
        Assert.True(config.Dist.RewriteIncludesOnly);
        Assert.Equal(new Uri("https://sccache1.corpdmz.ber3.mozilla.com/"), config.Dist.SchedulerUrl);
    }

    [Fact]
    public void Load_NoFile_DefaultsEverywhere()
    {
        var config = TestEnv.LoadEnv(("XDG_CACHE_HOME", "/xdg/cache"));

        TestEnv.NoErrors(config);
        Assert.Null(config.FilePath);
        var disk = Assert.IsType<DiskCacheConfig>(Assert.Single(config.Storage.Levels));
        Assert.Equal("/xdg/cache/sharpcache", disk.Dir);
        Assert.Equal(10L << 30, disk.Size);
        Assert.Equal(CacheRwMode.ReadWrite, disk.RwMode);
        Assert.True(disk.PreprocessorCacheMode.UsePreprocessorCacheMode);
        Assert.True(config.Storage.IncludesDisk);
        Assert.False(config.Storage.HasRemote);
        Assert.False(config.Storage.IsMultiLevel);
        Assert.Null(config.Dist.SchedulerUrl);
        Assert.Equal(new DistTokenAuth("dangerously_insecure_client"), config.Dist.Auth);
        Assert.Equal("/xdg/cache/sharpcache-dist-client", config.Dist.CacheDir);
        Assert.Equal(10L << 30, config.Dist.ToolchainCacheSize);
        Assert.Empty(config.Basedirs);
        Assert.False(config.ClientSideMode);
    }

    [Fact]
    public void Load_TopLevelKeys_Read()
    {
        var config = TestEnv.Load("""
            server_startup_timeout_ms = 2500
            basedirs = ["/srv/me/src/", "/work//a/../b"]
            client_side_mode = true
            """);

        TestEnv.NoErrors(config);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), config.ServerStartupTimeout);
        Assert.Equal(["/srv/me/src", "/work/b"], config.Basedirs);
        Assert.True(config.ClientSideMode);
    }

    [Theory]
    [InlineData("", true, false, true, false, false, true)]
    [InlineData("[cache.disk.preprocessor_cache_mode]\n", false, false, true, false, false, true)]
    [InlineData("[cache.disk.preprocessor_cache_mode]\nuse_preprocessor_cache_mode = true\nfile_stat_matches = true\nuse_ctime_for_stat = false\nignore_time_macros = true\nskip_system_headers = true\nhash_working_directory = false\n", true, true, false, true, true, false)]
    public void Load_PreprocessorCacheMode_SccacheDefaults(string extra, bool use, bool stat, bool ctime, bool time, bool system, bool cwd)
    {
        var config = TestEnv.Load("[cache.disk]\ndir = \"/c\"\n" + extra);

        TestEnv.NoErrors(config);
        var mode = config.Storage.Disk.PreprocessorCacheMode;
        Assert.Equal(
            new PreprocessorCacheModeConfig
            {
                UsePreprocessorCacheMode = use,
                FileStatMatches = stat,
                UseCtimeForStat = ctime,
                IgnoreTimeMacros = time,
                SkipSystemHeaders = system,
                HashWorkingDirectory = cwd,
            },
            mode);
    }

    [Theory]
    [InlineData("size = 1024", 1024L)]
    [InlineData("size = \"20G\"", 20L << 30)]
    [InlineData("size = \"5m\"", 5L << 20)]
    [InlineData("size = \"3K\"", 3L << 10)]
    [InlineData("size = \"2T\"", 2L << 40)]
    [InlineData("size = \"77\"", 77L)]
    public void Load_DiskSize_IntegerOrSuffixedString(string line, long expected)
    {
        var config = TestEnv.Load("[cache.disk]\n" + line + "\nrw_mode = \"READ_ONLY\"\n");

        TestEnv.NoErrors(config);
        Assert.Equal(expected, config.Storage.Disk.Size);
        Assert.Equal(CacheRwMode.ReadOnly, config.Storage.Disk.RwMode);
    }

    [Fact]
    public void Load_DiskDirWithTilde_IsUnderHome()
    {
        var config = TestEnv.Load("[cache.disk]\ndir = \"~/cache\"\n");

        Assert.Equal(TestEnv.Home + "/cache", config.Storage.Disk.Dir);
    }

    [Fact]
    public void Load_EveryOptionalRemoteKey_Read()
    {
        var config = TestEnv.Load("""
            [cache.s3]
            bucket = "b"
            no_credentials = false
            server_side_encryption_aws_kms = true
            server_side_encryption_kms_key_id = "kid"
            enable_virtual_host_style = true
            rw_mode = "READ_ONLY"

            [cache.redis]
            endpoint = "redis://r:6379"
            ttl = 60
            rw_mode = "READ_ONLY"

            [cache.memcached]
            url = "tcp://m:11211"
            rw_mode = "READ_ONLY"

            [cache.azure]
            container = "c"
            key_prefix = ""
            connection_string = "UseDevelopmentStorage=true"
            endpoint = "http://127.0.0.1:10000/devstoreaccount1"
            rw_mode = "READ_ONLY"

            [cache.gcs]
            bucket = "g"
            key_prefix = "p"
            rw_mode = "READ_WRITE"
            credential_url = "https://tokens/"

            [cache.gha]
            enabled = true
            version = "v2"
            rw_mode = "READ_ONLY"

            [cache.webdav]
            endpoint = "http://dav/"
            rw_mode = "READ_ONLY"

            [cache.cos]
            bucket = "c"
            rw_mode = "READ_ONLY"
            """);

        TestEnv.NoErrors(config);
        var c = config.Cache;
        Assert.Equal(new S3CacheConfig { Bucket = "b", ServerSideEncryptionAwsKms = true, ServerSideEncryptionKmsKeyId = "kid", EnableVirtualHostStyle = true, RwMode = CacheRwMode.ReadOnly }, c.S3);
        Assert.Equal(new RedisCacheConfig { Endpoint = "redis://r:6379", Ttl = 60, RwMode = CacheRwMode.ReadOnly }, c.Redis);
        Assert.Equal(new MemcachedCacheConfig { Url = "tcp://m:11211", RwMode = CacheRwMode.ReadOnly }, c.Memcached);
        Assert.Equal(86400u, c.Memcached!.Expiration);
        Assert.Equal(new AzureCacheConfig { Container = "c", ConnectionString = "UseDevelopmentStorage=true", Endpoint = "http://127.0.0.1:10000/devstoreaccount1", RwMode = CacheRwMode.ReadOnly }, c.Azure);
        Assert.Equal(new GcsCacheConfig { Bucket = "g", KeyPrefix = "p", RwMode = CacheRwMode.ReadWrite, CredentialUrl = "https://tokens/" }, c.Gcs);
        Assert.Equal(new GhaCacheConfig { Version = "v2", RwMode = CacheRwMode.ReadOnly }, c.Gha);
        Assert.Equal(new WebDavCacheConfig { Endpoint = "http://dav/", RwMode = CacheRwMode.ReadOnly }, c.WebDav);
        Assert.Equal(new CosCacheConfig { Bucket = "c", RwMode = CacheRwMode.ReadOnly }, c.Cos);
    }

    [Fact]
    public void Load_GhaDisabled_IsNotABackend()
    {
        var config = TestEnv.Load("[cache.gha]\nenabled = false\nversion = \"\"\n");

        TestEnv.NoErrors(config);
        Assert.Null(config.Cache.Gha);
        Assert.IsType<DiskCacheConfig>(Assert.Single(config.Storage.Levels));
    }

    [Fact]
    public void Load_MemcachedUrlAlias_EndpointOrUrl()
    {
        Assert.Equal("tcp://a:1", TestEnv.Load("[cache.memcached]\nurl = \"tcp://a:1\"\n").Cache.Memcached!.Url);
        Assert.Equal("tcp://b:1", TestEnv.Load("[cache.memcached]\nendpoint = \"tcp://b:1\"\n").Cache.Memcached!.Url);
    }

    [Fact]
    public void Load_RedisTtlAlias_ExpirationOrTtl()
    {
        Assert.Equal(5ul, TestEnv.Load("[cache.redis]\nendpoint = \"redis://x\"\nttl = 5\n").Cache.Redis!.Ttl);
        Assert.Equal(7ul, TestEnv.Load("[cache.redis]\nendpoint = \"redis://x\"\nexpiration = 7\n").Cache.Redis!.Ttl);
    }

    [Fact]
    public void Load_Json_SameModelAsToml()
    {
        var config = TestEnv.LoadJson("""
            {
              "server_startup_timeout_ms": 1234,
              "cache": {
                "disk": { "dir": "/j", "size": "1G", "preprocessor_cache_mode": { "use_preprocessor_cache_mode": true, "ignore_time_macros": true } },
                "redis": { "endpoint": "redis://127.0.0.1:6379", "key_prefix": "p", "username": null },
                "multilevel": { "chain": ["disk", "redis"], "write_error_policy": "all" }
              },
              "dist": {
                "scheduler_url": "https://sched.example:10600",
                "auth": { "type": "token", "token": "t" },
                "toolchains": [ { "type": "no_dist", "compiler_executable": "/usr/bin/gcc" } ]
              }
            }
            """);

        TestEnv.NoErrors(config);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), config.ServerStartupTimeout);
        Assert.Equal("/j", config.Storage.Disk.Dir);
        Assert.Equal(1L << 30, config.Storage.Disk.Size);
        Assert.True(config.Storage.Disk.PreprocessorCacheMode.IgnoreTimeMacros);
        Assert.Equal(new RedisCacheConfig { Endpoint = "redis://127.0.0.1:6379", KeyPrefix = "p" }, config.Cache.Redis);
        Assert.Equal([CacheBackendKind.Disk, CacheBackendKind.Redis], config.Storage.Levels.Select(l => l.Kind));
        Assert.Equal(WriteErrorPolicy.All, config.Storage.WriteErrorPolicy);
        Assert.Equal(new DistTokenAuth("t"), config.Dist.Auth);
        Assert.Equal(new NoDistToolchain("/usr/bin/gcc"), Assert.Single(config.Dist.Toolchains));
    }

    [Fact]
    public void Load_JsonUnknownKey_ErrorHasLineAndColumn()
    {
        var config = TestEnv.LoadJson("{\n  \"cache\": {\n    \"disk\": { \"bogus\": 1 }\n  }\n}\n");

        var error = TestEnv.SingleError(config);
        Assert.Equal("cache.disk.bogus", error.Key);
        Assert.Equal(3, error.Line);
        Assert.Equal(15, error.Column);
    }

    [Fact]
    public void Load_JsonSyntaxError_Reported()
    {
        var config = TestEnv.LoadJson("{\n  \"cache\": \n}");

        var error = TestEnv.SingleError(config);
        Assert.StartsWith("invalid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal("/etc/test/config.json", error.Source);
        Assert.Equal(3, error.Line);
    }
}
