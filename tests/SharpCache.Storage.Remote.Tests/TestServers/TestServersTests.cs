using System.Net.Http.Headers;
using System.Text;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.TestServers;

/// <summary>The shared test servers start, answer and clean up.</summary>
public sealed class TestServersTests
{
    [Fact]
    public async Task RedisServer_Start_AnswersAndCleansUp()
    {
        string dir;
        await using (var redis = await RedisServer.StartAsync(new RedisServerOptions { UnixSocket = true }))
        {
            dir = redis.TempDirectory;
            Assert.Equal("+OK", await redis.CommandAsync(["SET", "k", "v"]));
            Assert.Equal(1, await redis.DbSizeAsync());
            Assert.True(File.Exists(redis.UnixSocketPath));
        }

        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task RedisServer_KillAndRestart_ComesBackOnSamePort()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Password = "pw" });
        var port = redis.Port;
        redis.Kill();
        Assert.False(redis.IsRunning);
        await redis.RestartAsync();
        Assert.Equal(port, redis.Port);
        Assert.Equal(0, await redis.DbSizeAsync());
    }

    [Fact]
    public async Task MemcachedServer_Start_Answers()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        Assert.StartsWith("VERSION", await memcached.TextCommandAsync("version"), StringComparison.Ordinal);
        Assert.Equal(0, await memcached.CurrentItemsAsync());
    }

    [Fact]
    public async Task NginxWebDav_PutWithBasicAuth_StoresFile()
    {
        await using var nginx = await NginxWebDav.StartAsync(new NginxWebDavOptions { Username = "u", Password = "p" });
        using var http = new HttpClient { BaseAddress = nginx.Url, Timeout = TimeSpan.FromSeconds(10) };
        using var anonymous = await http.PutAsync(new Uri("a/b/c", UriKind.Relative), new ByteArrayContent([1]));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p")));
        using var put = await http.PutAsync(new Uri("a/b/c", UriKind.Relative), new ByteArrayContent([1, 2, 3]));
        Assert.True(put.IsSuccessStatusCode, nginx.FailureMessage($"PUT answered {put.StatusCode}"));
        Assert.Equal(["a/b/c"], nginx.ListFiles());
    }

    [Fact]
    public async Task StallProxy_Connect_AcceptsAndNeverAnswers()
    {
        await using var stall = StallProxy.Start();
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(StallProxy.Host, stall.Port);
        await client.GetStream().WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.GetStream().ReadExactlyAsync(buffer, timeout.Token));
    }
}
