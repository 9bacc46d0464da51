namespace SharpCache.Config.Tests;

public class EnvironmentTests
{
    [Fact]
    public void Load_EnvDiskSection_ReplacesFileSectionWholesale()
    {
        var config = TestEnv.Load(
            "[cache.disk]\ndir = \"/file\"\nsize = \"1G\"\nrw_mode = \"READ_ONLY\"\n[cache.disk.preprocessor_cache_mode]\nuse_preprocessor_cache_mode = false\n",
            ("SCCACHE_DIR", "/env"));

        TestEnv.NoErrors(config);
        var disk = config.Storage.Disk;
        Assert.Equal("/env", disk.Dir);
        Assert.Equal(10L << 30, disk.Size);
        Assert.Equal(CacheRwMode.ReadWrite, disk.RwMode);
        Assert.True(disk.PreprocessorCacheMode.UsePreprocessorCacheMode);
    }

    [Theory]
    [InlineData("SCCACHE_CACHE_SIZE", "2G")]
    [InlineData("SCCACHE_DIRECT", "false")]
    [InlineData("SCCACHE_LOCAL_RW_MODE", "READ_ONLY")]
    public void Load_AnyDiskVariable_MakesAnEnvDiskSection(string name, string value)
    {
        var config = TestEnv.Load("[cache.disk]\ndir = \"/file\"\n", (name, value), ("XDG_CACHE_HOME", "/xc"));

        TestEnv.NoErrors(config);
        Assert.Equal("/xc/sharpcache", config.Storage.Disk.Dir);
    }

    [Fact]
    public void Load_DiskVariables_Read()
    {
        var config = TestEnv.LoadEnv(("SCCACHE_DIR", "/d"), ("SCCACHE_CACHE_SIZE", "3M"), ("SCCACHE_DIRECT", "off"), ("SCCACHE_LOCAL_RW_MODE", "read_only"));

        TestEnv.NoErrors(config);
        var disk = config.Storage.Disk;
        Assert.Equal(new DiskCacheConfig { Dir = "/d", Size = 3L << 20, RwMode = CacheRwMode.ReadOnly, PreprocessorCacheMode = PreprocessorCacheModeConfig.Activated with { UsePreprocessorCacheMode = false } }, disk);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("ON", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("False", false)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    public void Load_Booleans_SccacheWords(string value, bool expected)
    {
        var config = TestEnv.LoadEnv(("SCCACHE_DIRECT", value));

        TestEnv.NoErrors(config);
        Assert.Equal(expected, config.Storage.Disk.PreprocessorCacheMode.UsePreprocessorCacheMode);
    }

    [Fact]
    public void Load_BadBoolean_ErrorNamesVariable()
    {
        var config = TestEnv.LoadEnv(("SCCACHE_DIRECT", "maybe"));

        var error = TestEnv.SingleError(config);
        Assert.Equal(ConfigError.Environment, error.Source);
        Assert.Equal("SCCACHE_DIRECT", error.Key);
        Assert.Equal("environment: SCCACHE_DIRECT: 'maybe' is not a boolean; use true, on, 1, false, off or 0", error.ToString());
        Assert.True(config.Storage.Disk.PreprocessorCacheMode.UsePreprocessorCacheMode);
    }

    [Fact]
    public void Load_BadSizeOrRwMode_WarningsOnly()
    {
        var config = TestEnv.LoadEnv(("SCCACHE_CACHE_SIZE", "lots"), ("SCCACHE_REDIS_ENDPOINT", "redis://r"), ("SCCACHE_REDIS_RW_MODE", "sometimes"));

        TestEnv.NoErrors(config);
        Assert.Equal(2, config.Warnings.Count);
        Assert.Equal(10L << 30, config.Storage.Disk.Size);
        Assert.Equal(CacheRwMode.ReadWrite, config.Cache.Redis!.RwMode);
    }

    [Fact]
    public void Load_Basedirs_EnvReplacesFile()
    {
        var config = TestEnv.Load("basedirs = [\"/file\"]\n", ("SCCACHE_BASEDIRS", "/a/:/b::/a"));

        TestEnv.NoErrors(config);
        Assert.Equal(["/a", "/b"], config.Basedirs);
    }

    [Fact]
    public void Load_RelativeBasedir_ErrorAndIgnored()
    {
        var fromEnv = TestEnv.LoadEnv(("SCCACHE_BASEDIRS", "rel:/abs"));
        var fromFile = TestEnv.Load("basedirs = [\"rel\", \"/abs\"]\n");

        Assert.Equal("SCCACHE_BASEDIRS", TestEnv.SingleError(fromEnv).Key);
        Assert.Equal(["/abs"], fromEnv.Basedirs);
        var fileError = TestEnv.SingleError(fromFile);
        Assert.Equal(("/etc/test/config", "basedirs"), (fileError.Source, fileError.Key));
        Assert.Equal(["/abs"], fromFile.Basedirs);
    }

    [Fact]
    public void Load_S3Variables_Read()
    {
        var config = TestEnv.LoadEnv(
            ("SCCACHE_BUCKET", "bkt"),
            ("SCCACHE_REGION", "eu-west-1"),
            ("SCCACHE_ENDPOINT", "127.0.0.1:9000"),
            ("SCCACHE_S3_USE_SSL", "false"),
            ("SCCACHE_S3_KEY_PREFIX", "pre//"),
            ("SCCACHE_S3_NO_CREDENTIALS", "true"),
            ("SCCACHE_S3_SERVER_SIDE_ENCRYPTION", "true"),
            ("SCCACHE_S3_SERVER_SIDE_ENCRYPTION_AWS_KMS", "true"),
            ("SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID", "k"),
            ("SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE", "on"),
            ("SCCACHE_S3_RW_MODE", "READ_ONLY"));

        TestEnv.NoErrors(config);
        Assert.Equal(
            new S3CacheConfig
            {
                Bucket = "bkt",
                Region = "eu-west-1",
                Endpoint = "127.0.0.1:9000",
                UseSsl = false,
                KeyPrefix = "pre",
                NoCredentials = true,
                ServerSideEncryption = true,
                ServerSideEncryptionAwsKms = true,
                ServerSideEncryptionKmsKeyId = "k",
                EnableVirtualHostStyle = true,
                RwMode = CacheRwMode.ReadOnly,
            },
            config.Cache.S3);
    }

    [Fact]
    public void Load_EnvS3_ReplacesFileS3()
    {
        var config = TestEnv.Load("[cache.s3]\nbucket = \"file\"\nno_credentials = false\nregion = \"r\"\nkey_prefix = \"fp\"\n", ("SCCACHE_BUCKET", "env"));

        Assert.Equal(new S3CacheConfig { Bucket = "env" }, config.Cache.S3);
    }

    [Fact]
    public void Load_RedisVariables_Read()
    {
        var config = TestEnv.LoadEnv(
            ("SCCACHE_REDIS_ENDPOINT", "redis://127.0.0.1:6379"),
            ("SCCACHE_REDIS_USERNAME", "u"),
            ("SCCACHE_REDIS_PASSWORD", "p"),
            ("SCCACHE_REDIS_DB", "3"),
            ("SCCACHE_REDIS_EXPIRATION", "600"),
            ("SCCACHE_REDIS_KEY_PREFIX", "/k/"),
            ("SCCACHE_REDIS_RW_MODE", "READ_ONLY"));

        TestEnv.NoErrors(config);
        Assert.Equal(new RedisCacheConfig { Endpoint = "redis://127.0.0.1:6379", Username = "u", Password = "p", Db = 3, Ttl = 600, KeyPrefix = "/k", RwMode = CacheRwMode.ReadOnly }, config.Cache.Redis);
    }

    [Fact]
    public void Load_RedisClusterAndDeprecatedTtl_Read()
    {
        var config = TestEnv.LoadEnv(("SCCACHE_REDIS_CLUSTER_ENDPOINTS", "redis://a:1,redis://b:2"), ("SCCACHE_REDIS_TTL", "9"));

        TestEnv.NoErrors(config);
        Assert.Equal(new RedisCacheConfig { ClusterEndpoints = "redis://a:1,redis://b:2", Ttl = 9 }, config.Cache.Redis);
    }

    [Fact]
    public void Load_DeprecatedRedisUrl_ReadWithWarning()
    {
        var config = TestEnv.LoadEnv(("SCCACHE_REDIS", "redis://:pw@h:6379/2"));

        TestEnv.NoErrors(config);
        Assert.Equal("redis://:pw@h:6379/2", config.Cache.Redis!.Url);
        Assert.Contains(config.Warnings, w => w.Contains("SCCACHE_REDIS", StringComparison.Ordinal));
        Assert.DoesNotContain("pw", config.Cache.Redis.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MemcachedVariables_Read()
    {
        var config = TestEnv.LoadEnv(
            ("SCCACHE_MEMCACHED_ENDPOINT", "tcp://127.0.0.1:11211"),
            ("SCCACHE_MEMCACHED_USERNAME", "u"),
            ("SCCACHE_MEMCACHED_PASSWORD", "p"),
            ("SCCACHE_MEMCACHED_EXPIRATION", "100"),
            ("SCCACHE_MEMCACHED_KEY_PREFIX", "m/"),
            ("SCCACHE_MEMCACHED_RW_MODE", "READ_ONLY"));

        TestEnv.NoErrors(config);
        Assert.Equal(new MemcachedCacheConfig { Url = "tcp://127.0.0.1:11211", Username = "u", Password = "p", Expiration = 100, KeyPrefix = "m", RwMode = CacheRwMode.ReadOnly }, config.Cache.Memcached);
        Assert.Equal("tcp://old:1", TestEnv.LoadEnv(("SCCACHE_MEMCACHED", "tcp://old:1")).Cache.Memcached!.Url);
    }

    [Fact]
    public void Load_GcsVariables_ReadOnlyByDefault()
    {
        var config = TestEnv.LoadEnv(
            ("SCCACHE_GCS_BUCKET", "g"),
            ("SCCACHE_GCS_KEY_PREFIX", "p/"),
            ("SCCACHE_GCS_KEY_PATH", "/key.json"),
            ("SCCACHE_GCS_CREDENTIALS_URL", "https://t/"),
            ("SCCACHE_GCS_SERVICE_ACCOUNT", "sa@x"));

        TestEnv.NoErrors(config);
        Assert.Equal(new GcsCacheConfig { Bucket = "g", KeyPrefix = "p", CredPath = "/key.json", CredentialUrl = "https://t/", ServiceAccount = "sa@x", RwMode = CacheRwMode.ReadOnly }, config.Cache.Gcs);
        Assert.Equal(CacheRwMode.ReadWrite, TestEnv.LoadEnv(("SCCACHE_GCS_BUCKET", "g"), ("SCCACHE_GCS_RW_MODE", "READ_WRITE")).Cache.Gcs!.RwMode);
        Assert.Contains(TestEnv.LoadEnv(("SCCACHE_GCS_BUCKET", "g"), ("SCCACHE_GCS_OAUTH_URL", "x")).Warnings, w => w.Contains("deprecated", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_GhaVariables_EnabledOrVersion()
    {
        Assert.Equal(new GhaCacheConfig { Version = "v7" }, TestEnv.LoadEnv(("SCCACHE_GHA_VERSION", "v7"), ("SCCACHE_GHA_ENABLED", "false")).Cache.Gha);
        Assert.Equal(new GhaCacheConfig { RwMode = CacheRwMode.ReadOnly }, TestEnv.LoadEnv(("SCCACHE_GHA_ENABLED", "on"), ("SCCACHE_GHA_RW_MODE", "READ_ONLY")).Cache.Gha);
        Assert.Null(TestEnv.LoadEnv(("SCCACHE_GHA_ENABLED", "off")).Cache.Gha);
    }

    [Fact]
    public void Load_AzureVariables_Read()
    {
        var config = TestEnv.LoadEnv(
            ("SCCACHE_AZURE_BLOB_CONTAINER", "c"),
            ("SCCACHE_AZURE_CONNECTION_STRING", "UseDevelopmentStorage=true"),
            ("SCCACHE_AZURE_KEY_PREFIX", "az/"),
            ("SCCACHE_AZURE_RW_MODE", "READ_ONLY"));

        TestEnv.NoErrors(config);
        Assert.Equal(new AzureCacheConfig { Container = "c", ConnectionString = "UseDevelopmentStorage=true", KeyPrefix = "az", RwMode = CacheRwMode.ReadOnly }, config.Cache.Azure);
        Assert.Equal("acct", TestEnv.LoadEnv(("SCCACHE_AZURE_BLOB_CONTAINER", "c"), ("SCCACHE_AZURE_STORAGE_ACCOUNT", "acct")).Cache.Azure!.StorageAccount);
        Assert.Equal("https://e/", TestEnv.LoadEnv(("SCCACHE_AZURE_BLOB_CONTAINER", "c"), ("SCCACHE_AZURE_ENDPOINT", "https://e/")).Cache.Azure!.Endpoint);
    }

    [Fact]
    public void Load_AzureContainerWithoutAuth_OffWithWarning()
    {
        var config = TestEnv.LoadEnv(("SCCACHE_AZURE_BLOB_CONTAINER", "c"));

        TestEnv.NoErrors(config);
        Assert.Null(config.Cache.Azure);
        Assert.Single(config.Warnings);
    }

    [Fact]
    public void Load_WebDavOssCosVariables_Read()
    {
        var config = TestEnv.LoadEnv(
            ("SCCACHE_WEBDAV_ENDPOINT", "http://dav"),
            ("SCCACHE_WEBDAV_KEY_PREFIX", "w/"),
            ("SCCACHE_WEBDAV_USERNAME", "u"),
            ("SCCACHE_WEBDAV_PASSWORD", "p"),
            ("SCCACHE_WEBDAV_TOKEN", "t"),
            ("SCCACHE_WEBDAV_RW_MODE", "READ_ONLY"),
            ("SCCACHE_OSS_BUCKET", "o"),
            ("SCCACHE_OSS_ENDPOINT", "oe"),
            ("SCCACHE_OSS_KEY_PREFIX", "op/"),
            ("SCCACHE_OSS_NO_CREDENTIALS", "1"),
            ("SCCACHE_OSS_RW_MODE", "READ_ONLY"),
            ("SCCACHE_COS_BUCKET", "c"),
            ("SCCACHE_COS_ENDPOINT", "ce"),
            ("SCCACHE_COS_KEY_PREFIX", "cp"),
            ("SCCACHE_COS_RW_MODE", "READ_ONLY"));

        TestEnv.NoErrors(config);
        Assert.Equal(new WebDavCacheConfig { Endpoint = "http://dav", KeyPrefix = "w", Username = "u", Password = "p", Token = "t", RwMode = CacheRwMode.ReadOnly }, config.Cache.WebDav);
        Assert.Equal(new OssCacheConfig { Bucket = "o", Endpoint = "oe", KeyPrefix = "op", NoCredentials = true, RwMode = CacheRwMode.ReadOnly }, config.Cache.Oss);
        Assert.Equal(new CosCacheConfig { Bucket = "c", Endpoint = "ce", KeyPrefix = "cp", RwMode = CacheRwMode.ReadOnly }, config.Cache.Cos);
    }

    [Theory]
    [InlineData("SCCACHE_REDIS_TTL", new[] { "SCCACHE_REDIS_ENDPOINT", "redis://r", "SCCACHE_REDIS_EXPIRATION", "1", "SCCACHE_REDIS_TTL", "2" })]
    [InlineData("SCCACHE_MEMCACHED", new[] { "SCCACHE_MEMCACHED", "tcp://a", "SCCACHE_MEMCACHED_ENDPOINT", "tcp://b" })]
    [InlineData("SCCACHE_S3_NO_CREDENTIALS", new[] { "SCCACHE_BUCKET", "b", "SCCACHE_S3_NO_CREDENTIALS", "true", "AWS_ACCESS_KEY_ID", "AKIA" })]
    [InlineData("SCCACHE_S3_NO_CREDENTIALS", new[] { "SCCACHE_BUCKET", "b", "SCCACHE_S3_NO_CREDENTIALS", "true", "AWS_SECRET_ACCESS_KEY", "s" })]
    [InlineData("SCCACHE_OSS_NO_CREDENTIALS", new[] { "SCCACHE_OSS_BUCKET", "b", "SCCACHE_OSS_NO_CREDENTIALS", "true", "ALIBABA_CLOUD_ACCESS_KEY_ID", "a", "SCCACHE_WEBDAV_ENDPOINT", "http://d" })]
    [InlineData("SCCACHE_GCS_BUCKET", new[] { "SCCACHE_GCS_KEY_PATH", "/k.json" })]
    [InlineData("SCCACHE_AZURE_CONNECTION_STRING", new[] { "SCCACHE_AZURE_BLOB_CONTAINER", "c", "SCCACHE_AZURE_CONNECTION_STRING", "x", "SCCACHE_AZURE_STORAGE_ACCOUNT", "a" })]
    [InlineData("SCCACHE_REDIS_DB", new[] { "SCCACHE_REDIS_ENDPOINT", "redis://r", "SCCACHE_REDIS_DB", "one" })]
    [InlineData("SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY", new[] { "SCCACHE_MULTILEVEL_CHAIN", "disk", "SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY", "most" })]
    [InlineData("SCCACHE_CLIENT_SIDE", new[] { "SCCACHE_CLIENT_SIDE", "perhaps" })]
    public void Load_ConflictingOrBadVariables_OneErrorNamingTheVariable(string variable, string[] pairs)
    {
        var vars = Enumerable.Range(0, pairs.Length / 2).Select(i => (pairs[2 * i], pairs[(2 * i) + 1])).ToArray();

        var error = TestEnv.SingleError(TestEnv.LoadEnv(vars));

        Assert.Equal(ConfigError.Environment, error.Source);
        Assert.Equal(variable, error.Key);
    }

    [Fact]
    public void Load_EmptyVariable_IsUnset()
    {
        var config = TestEnv.Load("[cache.redis]\nendpoint = \"redis://file\"\n", ("SCCACHE_REDIS_ENDPOINT", ""), ("SCCACHE_DIR", ""));

        Assert.Equal("redis://file", config.Cache.Redis!.Endpoint);
        Assert.Null(config.Cache.Disk);
    }

    [Fact]
    public void Load_ClientSideMode_EnvWinsAndLogOrSchedulerTurnItOff()
    {
        Assert.True(TestEnv.LoadEnv(("SCCACHE_CLIENT_SIDE", "1")).ClientSideMode);
        Assert.False(TestEnv.Load("client_side_mode = true\n", ("SCCACHE_CLIENT_SIDE", "0")).ClientSideMode);
        Assert.False(TestEnv.LoadEnv(("SCCACHE_CLIENT_SIDE", "1"), ("SCCACHE_LOG", "debug")).ClientSideMode);
        Assert.False(TestEnv.Load("client_side_mode = true\n[dist]\nscheduler_url = \"http://s:1\"\n").ClientSideMode);
    }

    [Fact]
    public void ReadEnvironment_Alone_ReturnsSectionsAndErrors()
    {
        var env = ConfigLoader.ReadEnvironment(TestEnv.Of(("SCCACHE_BUCKET", "b"), ("SCCACHE_S3_USE_SSL", "sure")), out var errors);

        Assert.Equal("b", env.Cache.S3!.Bucket);
        Assert.Equal("SCCACHE_S3_USE_SSL", Assert.Single(errors).Key);
        Assert.Null(env.Basedirs);
    }
}
