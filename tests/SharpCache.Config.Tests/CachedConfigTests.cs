namespace SharpCache.Config.Tests;

public sealed class CachedConfigTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sharpcache-cached-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void SaveThenLoad_RoundTripsTokens()
    {
        var path = Path.Combine(_root.FullName, "sub", "cached-config");
        var config = new CachedConfig()
            .WithToken("https://auth.mozilla.auth0.com/authorize?audience=sccache&scope=openid%20profile", "tok.en-1")
            .WithToken("http://127.0.0.1:10600/auth", "quote\"and\\slash");

        CachedConfigStore.Save(path, config);
        var loaded = CachedConfigStore.Load(path, out var errors);

        Assert.Empty(errors);
        Assert.Equal(config.AuthTokens.OrderBy(p => p.Key, StringComparer.Ordinal), loaded.AuthTokens.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Load_SccacheWrittenFile_Read()
    {
        var path = Path.Combine(_root.FullName, "cached-config");
        File.WriteAllText(path, "[dist.auth_tokens]\n\"https://a/\" = \"t1\"\n");

        var loaded = CachedConfigStore.Load(path, out var errors);

        Assert.Empty(errors);
        Assert.Equal("t1", loaded.AuthTokens["https://a/"]);
    }

    [Fact]
    public void Load_Missing_Empty()
    {
        var loaded = CachedConfigStore.Load(Path.Combine(_root.FullName, "none"), out var errors);

        Assert.Empty(errors);
        Assert.Empty(loaded.AuthTokens);
    }

    [Fact]
    public void Load_UnknownKey_Error()
    {
        var path = Path.Combine(_root.FullName, "cached-config");
        File.WriteAllText(path, "[dist]\nauth_tokens = {}\nother = 1\n");

        CachedConfigStore.Load(path, out var errors);

        Assert.Equal("dist.other", Assert.Single(errors).Key);
    }

    [Fact]
    public void ToString_HidesTokens()
    {
        Assert.DoesNotContain("secret", new CachedConfig().WithToken("u", "secret").ToString(), StringComparison.Ordinal);
    }
}
