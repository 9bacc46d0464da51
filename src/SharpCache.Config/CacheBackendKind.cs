namespace SharpCache.Config;

/// <summary>The storage backends sccache knows, named as in <c>[cache.*]</c> and <c>SCCACHE_MULTILEVEL_CHAIN</c>.</summary>
public enum CacheBackendKind
{
    Disk,
    S3,
    Redis,
    Memcached,
    Gcs,
    Gha,
    Azure,
    WebDav,
    Oss,
    Cos,
}
