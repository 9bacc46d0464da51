using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.Storage.Remote.WebDav;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.WebDav;

/// <summary>WebDAV specifics against a real nginx: auth forms, parent collections, layout.</summary>
public sealed class WebDavStorageTests
{
    [Fact]
    public async Task PutAsync_NoFullPutPath_CreatesParentCollections()
    {
        await using var nginx = await NginxWebDav.StartAsync(new NginxWebDavOptions { CreateFullPutPath = false });
        await using var storage = WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url.ToString(), KeyPrefix = "deep/er" });
        var key = TestData.Key();
        var data = TestData.Bytes(100);

        var written = await storage.PutAsync(key, data, CancellationToken.None);

        Assert.True(written is RemoteWriteResult.Written, (written as RemoteWriteResult.Error)?.Reason + "\n" + nginx.Log);
        Assert.Equal([$"deep/er/{key[0]}/{key[1]}/{key[2]}/{key}"], nginx.ListFiles());
        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None)).Data);
        // A second key under existing collections: no MKCOL needed, 405s tolerated.
        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key[..3] + TestData.Key()[3..], data, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_BasicAuth_RightAndWrong()
    {
        await using var nginx = await NginxWebDav.StartAsync(new NginxWebDavOptions { Username = "ci", Password = "pw" });
        await using var right = WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url.ToString(), Username = "ci", Password = "pw" });
        await using var wrong = WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url.ToString(), Username = "ci", Password = "nope" });
        var key = TestData.Key();

        Assert.IsType<RemoteWriteResult.Written>(await right.PutAsync(key, TestData.Bytes(5), CancellationToken.None));
        var read = Assert.IsType<RemoteReadResult.Error>(await wrong.GetAsync(key, CancellationToken.None));
        var write = Assert.IsType<RemoteWriteResult.Error>(await wrong.PutAsync(key, TestData.Bytes(5), CancellationToken.None));

        Assert.Equal(RemoteFailureKind.Unauthorized, read.Kind);
        Assert.Contains("unauthorized", read.Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Unauthorized, write.Kind);
        Assert.Equal(RemoteCheckStatus.Unauthorized, (await wrong.CheckAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task GetAsync_BearerToken_RightAndWrong()
    {
        await using var nginx = await NginxWebDav.StartAsync(new NginxWebDavOptions { BearerToken = "tok123" });
        await using var right = WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url.ToString(), Token = "tok123" });
        await using var wrong = WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url.ToString(), Token = "bad" });
        var key = TestData.Key();

        Assert.Equal(RemoteCheckStatus.ReadWrite, (await right.CheckAsync(CancellationToken.None)).Status);
        Assert.IsType<RemoteWriteResult.Written>(await right.PutAsync(key, TestData.Bytes(5), CancellationToken.None));
        Assert.IsType<RemoteReadResult.Hit>(await right.GetAsync(key, CancellationToken.None));
        Assert.Equal(RemoteFailureKind.Unauthorized, Assert.IsType<RemoteReadResult.Error>(await wrong.GetAsync(key, CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task PutAsync_EndpointWithPath_StoresUnderIt()
    {
        await using var nginx = await NginxWebDav.StartAsync();
        await using var storage = WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url + "cache" });
        var key = TestData.Key();

        await storage.PutAsync(key, TestData.Bytes(1), CancellationToken.None);

        Assert.Equal([$"cache/{key[0]}/{key[1]}/{key[2]}/{key}"], nginx.ListFiles());
    }

    [Fact]
    public void Create_BadEndpoint_Throws() =>
        Assert.Throws<ArgumentException>(() => WebDavStorage.Create(new WebDavStorageOptions { Endpoint = "ftp://h/" }));

    [Fact]
    public void OptionsToString_HidesSecrets()
    {
        var text = new WebDavStorageOptions { Endpoint = "http://h/", Password = "pw-x", Token = "tok-y" }.ToString();

        Assert.DoesNotContain("pw-x", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-y", text, StringComparison.Ordinal);
    }
}
