namespace SharpCache.Config.Tests;

/// <summary>Config texts taken from sccache: its <c>full_toml_parse</c> unit test and Firefox's sccache-dist client documentation.</summary>
internal static class SccacheExamples
{
    /// <summary>sccache <c>src/config.rs</c> <c>full_toml_parse</c> (the authoritative example of every section).</summary>
    public const string FullToml = """
        server_startup_timeout_ms = 10000

        [dist]
        # where to find the scheduler
        scheduler_url = "http://1.2.3.4:10600"
        # a set of prepackaged toolchains
        toolchains = []
        # the maximum size of the toolchain cache in bytes
        toolchain_cache_size = 5368709120
        cache_dir = "/srv/dev/.cache/sccache-dist-client"

        [dist.auth]
        type = "token"
        token = "secrettoken"


        [cache.azure]
        container = "azurecontainer"
        key_prefix = "azureprefix"
        storage_account = "azureaccount"

        [cache.disk]
        dir = "/tmp/.cache/sccache"
        size = 7516192768 # 7 GiBytes

        [cache.gcs]
        rw_mode = "READ_ONLY"
        # rw_mode = "READ_WRITE"
        cred_path = "/psst/secret/cred"
        bucket = "bucket"
        key_prefix = "prefix"
        service_account = "example_service_account"

        [cache.gha]
        enabled = true
        version = "sccache"

        [cache.memcached]
        # Deprecated alias for `endpoint`
        # url = "127.0.0.1:11211"
        endpoint = "tcp://127.0.0.1:11211"
        # Username and password for authentication
        username = "user"
        password = "passwd"
        expiration = 90000
        key_prefix = "/custom/prefix/if/need"

        [cache.redis]
        url = "redis://user:passwd@1.2.3.4:6379/?db=1"
        endpoint = "redis://127.0.0.1:6379"
        cluster_endpoints = "tcp://10.0.0.1:6379,redis://10.0.0.2:6379"
        username = "another_user"
        password = "new_passwd"
        db = 12
        expiration = 86400
        key_prefix = "/my/redis/cache"

        [cache.s3]
        bucket = "name"
        region = "us-east-2"
        endpoint = "s3-us-east-1.amazonaws.com"
        use_ssl = true
        key_prefix = "s3prefix"
        no_credentials = true
        server_side_encryption = false
        rw_mode = "READ_WRITE"

        [cache.webdav]
        endpoint = "http://127.0.0.1:8080"
        key_prefix = "webdavprefix"
        username = "webdavusername"
        password = "webdavpassword"
        token = "webdavtoken"

        [cache.oss]
        bucket = "name"
        endpoint = "oss-us-east-1.aliyuncs.com"
        key_prefix = "ossprefix"
        no_credentials = true
        rw_mode = "READ_ONLY"

        [cache.cos]
        bucket = "name"
        endpoint = "cos.na-siliconvalley.myqcloud.com"
        key_prefix = "cosprefix"
        """;

    /// <summary>
    /// The client config of Firefox's "Distributed sccache" page (seed document): <c>[dist.auth] type = "mozilla"</c>
    /// and macOS <c>path_override</c> toolchains, with the table headers the page's text shows only as "::" blocks.
    /// </summary>
    public const string FirefoxDistClient = """
        [dist]
        scheduler_url = "https://sccache1.corpdmz.ber3.mozilla.com/"
        toolchain_cache_size = 5368709120
        rewrite_includes_only = true

        [dist.auth]
        type = "mozilla"

        [[dist.toolchains]]
        type = "path_override"
        compiler_executable = "/path/to/home/.rustup/toolchains/stable-x86_64-apple-darwin/bin/rustc"
        archive = "/path/to/home/.mozbuild/rustc-dist-toolchain.tar.xz"
        archive_compiler_executable = "/builds/worker/toolchains/rustc/bin/rustc"

        [[dist.toolchains]]
        type = "path_override"
        compiler_executable = "/path/to/home/.mozbuild/clang/bin/clang"
        archive = "/path/to/home/.mozbuild/clang-dist-toolchain.tar.xz"
        archive_compiler_executable = "/builds/worker/toolchains/clang/bin/clang"

        [[dist.toolchains]]
        type = "path_override"
        compiler_executable = "/path/to/home/.mozbuild/clang/bin/clang++"
        archive = "/path/to/home/.mozbuild/clang-dist-toolchain.tar.xz"
        archive_compiler_executable = "/builds/worker/toolchains/clang/bin/clang"
        """;
}
