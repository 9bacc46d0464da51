using SharpCache.Dist.Auth;
using SharpCache.Dist.Config;

namespace SharpCache.Dist.Tests.Config;

public sealed class ConfigTests
{
    private const string Scheduler = """
        public_addr = "127.0.0.1:10600"
        [client_auth]
        type = "jwt_validate"
        audience = "sccache"
        issuer = "https://auth.example.com/"
        jwks_url = "https://auth.example.com/.well-known/jwks.json"
        [server_auth]
        type = "token"
        token = "s3cret"
        """;

    private static string Server(string auth = "type = \"DANGEROUSLY_INSECURE\"", string extra = "") => $"""
        public_addr = "192.168.1.10"
        scheduler_url = "https://scheduler.example.com"
        cache_dir = "/var/cache/sharpcache-dist"
        {extra}
        [builder]
        type = "overlay"
        build_dir = "/tmp/build"
        bwrap_path = "/usr/bin/bwrap"
        [scheduler_auth]
        {auth}
        """;

    [Fact]
    public void Scheduler_SccacheKeys_ParsedWithDefaults()
    {
        var config = SchedulerConfig.FromToml("scheduler.conf", Scheduler);
        Assert.Equal(10600, config.PublicAddr.Port);
        var jwt = Assert.IsType<ClientAuthConfig.JwtValidate>(config.ClientAuth);
        Assert.Equal("sccache", jwt.Audience);
        Assert.Equal(new ServerAuthConfig.Token("s3cret"), config.ServerAuth);
        Assert.Equal(TimeSpan.FromSeconds(90), config.ServerTimeout);
        Assert.DoesNotContain("s3cret", config.ServerAuth.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_SccacheKeys_ParsedWithDefaults()
    {
        var config = ServerConfig.FromToml("server.conf", Server());
        Assert.Equal("192.168.1.10:10500", config.PublicAddr.ToString()); // default port 10500
        Assert.Equal(config.PublicAddr, config.BindAddress);
        Assert.Equal(BuilderType.Overlay, config.Builder.Type);
        Assert.Equal(10L << 30, config.ToolchainCacheSize);
        Assert.Equal(Environment.ProcessorCount, config.MaxJobs);
        Assert.Equal(TimeSpan.FromSeconds(30), config.HeartbeatInterval);
    }

    [Fact]
    public void Server_JwtTokenForAnotherServer_ErrorNamesKey()
    {
        var token = ServerJwt.Create("10.9.9.9:10500", new byte[32]);
        var error = Assert.Throws<ConfigException>(() => ServerConfig.FromToml("server.conf", Server($"type = \"jwt_token\"\ntoken = \"{token}\"")));
        Assert.Equal("scheduler_auth.token", error.Key);
        Assert.Contains("10.9.9.9:10500", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus = 1", "bogus", "unknown key")]
    [InlineData("max_jobs = \"four\"", "max_jobs", "expected an integer")]
    [InlineData("max_jobs = 0", "max_jobs", "out of range")]
    [InlineData("bind_address = \"nowhere\"", "bind_address", "socket address")]
    public void Server_BadKey_ErrorNamesFileKeyAndReason(string extra, string key, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => ServerConfig.FromToml("server.conf", Server(extra: extra)));
        Assert.Equal("server.conf", error.Path);
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public_addr = \"127.0.0.1:1\"\n[client_auth]\ntype = \"token\"\n[server_auth]\ntype = \"DANGEROUSLY_INSECURE\"", "client_auth.token")]
    [InlineData("public_addr = \"127.0.0.1:1\"\n[client_auth]\ntype = \"mozilla\"\n[server_auth]\ntype = \"DANGEROUSLY_INSECURE\"", "client_auth.type")]
    [InlineData("public_addr = \"127.0.0.1:1\"\n[client_auth]\ntype = \"DANGEROUSLY_INSECURE\"\n[server_auth]\ntype = \"jwt_hs256\"\nsecret_key = \"short\"", "server_auth.secret_key")]
    [InlineData("public_addr = \"127.0.0.1:1\"\n[client_auth]\ntype = \"DANGEROUSLY_INSECURE\"\nextra = 1\n[server_auth]\ntype = \"DANGEROUSLY_INSECURE\"", "client_auth.extra")]
    [InlineData("[client_auth]\ntype = \"DANGEROUSLY_INSECURE\"\n[server_auth]\ntype = \"DANGEROUSLY_INSECURE\"", "public_addr")]
    [InlineData("public_addr = \"127.0.0.1:1\"\n[server_auth]\ntype = \"DANGEROUSLY_INSECURE\"", "client_auth")]
    public void Scheduler_Invalid_ErrorNamesKey(string toml, string key)
    {
        var error = Assert.Throws<ConfigException>(() => SchedulerConfig.FromToml("scheduler.conf", toml));
        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Scheduler_InvalidToml_ErrorWithLine()
    {
        var error = Assert.Throws<ConfigException>(() => SchedulerConfig.FromToml("scheduler.conf", "public_addr = \n"));
        Assert.Contains("invalid TOML at line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_DockerBuilder_RefusedClearly()
    {
        var toml = Server().Replace("type = \"overlay\"", "type = \"docker\"", StringComparison.Ordinal);
        var error = Assert.Throws<ConfigException>(() => ServerConfig.FromToml("server.conf", toml));
        Assert.Equal("builder.type", error.Key);
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }
}
