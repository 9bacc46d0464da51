using SharpCache.Storage.Remote.Redis;

namespace SharpCache.Storage.Remote.Tests.Redis;

public sealed class RedisEndpointTests
{
    [Fact]
    public void Parse_FullUrl_TakesEveryPart()
    {
        var e = RedisEndpoint.Parse("redis://alice:s3cret@cache.example:6380/4");

        Assert.Equal(("cache.example", 6380, "alice", "s3cret", 4, false), (e.Host, e.Port, e.Username, e.Password, e.Db, e.Tls));
        Assert.DoesNotContain("s3cret", e.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://127.0.0.1", "127.0.0.1", 6379)]
    [InlineData("tcp://127.0.0.1:7000", "127.0.0.1", 7000)]
    [InlineData("localhost:7001", "localhost", 7001)]
    [InlineData("redis://[::1]:7002", "::1", 7002)]
    public void Parse_HostForms_GiveHostAndPort(string url, string host, int port)
    {
        var e = RedisEndpoint.Parse(url);

        Assert.Equal((host, port, (int?)null), (e.Host, e.Port, e.Db));
    }

    [Fact]
    public void Parse_PasswordOnly_HasNoUser()
    {
        var e = RedisEndpoint.Parse("redis://:pw@h/2");

        Assert.Equal((null, "pw", 2), (e.Username, e.Password, e.Db));
    }

    [Fact]
    public void Parse_Rediss_Insecure_IsTlsWithoutChecks()
    {
        var e = RedisEndpoint.Parse("rediss://h:6390#insecure");

        Assert.True(e.Tls);
        Assert.True(e.InsecureTls);
    }

    [Theory]
    [InlineData("unix:///run/redis.sock?db=3")]
    [InlineData("redis+unix:///run/redis.sock?db=3")]
    public void Parse_UnixSocket_TakesPathAndDb(string url)
    {
        var e = RedisEndpoint.Parse(url);

        Assert.Equal(("/run/redis.sock", 3, (string?)null), (e.UnixSocketPath, e.Db, e.Host));
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://h")]
    [InlineData("redis://h/notadb")]
    [InlineData("redis://h/256")]
    [InlineData("redis://h#insecure")]
    [InlineData("rediss://h#other")]
    [InlineData("unix://")]
    public void TryParse_Invalid_GivesReason(string url)
    {
        Assert.False(RedisEndpoint.TryParse(url, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Parse_InvalidWithPassword_ReasonHidesPassword()
    {
        var e = Assert.Throws<ArgumentException>(() => RedisEndpoint.Parse("redis://u:topsecret@h/x"));

        Assert.DoesNotContain("topsecret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsToString_HidesPassword()
    {
        var options = new RedisStorageOptions { Endpoint = "redis://u:pw1@h", Password = "pw2" };

        Assert.DoesNotContain("pw1", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pw2", options.ToString(), StringComparison.Ordinal);
    }
}
