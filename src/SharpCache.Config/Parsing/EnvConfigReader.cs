namespace SharpCache.Config.Parsing;

/// <summary>
/// sccache's <c>config_from_env</c>: each backend whose enabling variable is set becomes a whole section
/// (replacing the file's), with sccache's mutual-exclusion checks.
/// </summary>
internal static partial class EnvConfigReader
{
    public static EnvConfig Read(EnvReader e, ConfigDefaults defaults)
    {
        var cache = new CacheConfigs
        {
            S3 = ReadS3(e),
            Redis = ReadRedis(e),
            Memcached = ReadMemcached(e),
            Gcs = ReadGcs(e),
            Gha = ReadGha(e),
            Azure = ReadAzure(e),
            WebDav = ReadWebDav(e),
            Oss = ReadOss(e),
            Cos = ReadCos(e),
            Disk = ReadDisk(e, defaults),
            MultiLevel = ReadMultiLevel(e),
        };

        List<string>? basedirs = null;
        if (e.IsSet("SCCACHE_BASEDIRS"))
        {
            basedirs = [.. (e.String("SCCACHE_BASEDIRS") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)];
        }

        return new EnvConfig { Cache = cache, Basedirs = basedirs, ClientSideMode = e.Bool("SCCACHE_CLIENT_SIDE") };
    }

    private static DiskCacheConfig? ReadDisk(EnvReader e, ConfigDefaults defaults)
    {
        var dir = e.String("SCCACHE_DIR");
        long? size = null;
        if (e.String("SCCACHE_CACHE_SIZE") is { } sizeText)
        {
            if (SizeValue.TryParse(sizeText, out var bytes))
            {
                size = bytes;
            }
            else
            {
                e.Errors.Warn("SCCACHE_CACHE_SIZE", $"'{sizeText}' ignored; expected an integer with an optional K, M, G or T suffix");
            }
        }

        var direct = e.Bool("SCCACHE_DIRECT");
        var mode = e.RwMode("SCCACHE_LOCAL_RW_MODE");
        if (dir is null && size is null && direct is null && mode is null)
        {
            return null;
        }

        return new DiskCacheConfig
        {
            Dir = dir is null ? defaults.CacheDirectory : Path.GetFullPath(dir),
            Size = size ?? SizeValue.TenGiB,
            RwMode = mode ?? CacheRwMode.ReadWrite,
            PreprocessorCacheMode = PreprocessorCacheModeConfig.Activated with { UsePreprocessorCacheMode = direct ?? true },
        };
    }

    private static MultiLevelConfig? ReadMultiLevel(EnvReader e)
    {
        if (e.String("SCCACHE_MULTILEVEL_CHAIN") is not { } chain)
        {
            return null;
        }

        var policy = WriteErrorPolicy.L0;
        if (e.String("SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY") is { } text && !WriteErrorPolicies.TryParse(text, out policy))
        {
            e.Errors.Add("SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY", $"unknown value '{text}'; expected ignore, l0 or all");
        }

        return new MultiLevelConfig { Chain = [.. chain.Split(',').Select(s => s.Trim())], WriteErrorPolicy = policy };
    }
}
