namespace SharpCache.Config.Tests;

public sealed class DistTokensTests : IDisposable
{
    private const string AuthUrl = "http://127.0.0.1:9/auth?resource=urn%3Asharpcache";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sharpcache-disttokens-");

    public void Dispose() => _root.Delete(recursive: true);

    private string CachedPath => Path.Combine(_root.FullName, "cached-config");

    private Func<string, string?> Env => TestEnv.Of(("SCCACHE_CACHED_CONF", CachedPath));

    private static DistConfig Dist(DistAuthConfig auth) => new() { CacheDir = "/nonexistent-cache", Auth = auth };

    [Fact]
    public void ForScheduler_TokenType_ItsToken()
    {
        var token = DistTokens.ForScheduler(Dist(new DistTokenAuth("secret")), Env, File.Exists, out var problem);

        Assert.Equal("secret", token);
        Assert.Null(problem);
    }

    [Fact]
    public void ForScheduler_Default_InsecureToken()
    {
        var token = DistTokens.ForScheduler(new DistConfig { CacheDir = "/c" }, Env, File.Exists, out var problem);

        Assert.Equal(DistAuthConfig.InsecureClientToken, token);
        Assert.Null(problem);
    }

    [Fact]
    public void ForScheduler_PkceWithStoredToken_StoredToken()
    {
        CachedConfigStore.Save(CachedPath, new CachedConfig().WithToken("https://other/", "x").WithToken(AuthUrl, "jwt-1"));

        var token = DistTokens.ForScheduler(Dist(new DistOAuth2CodeGrantPkceAuth("id", AuthUrl, "http://127.0.0.1:9/token")), Env, File.Exists, out var problem);

        Assert.Equal("jwt-1", token);
        Assert.Null(problem);
    }

    [Fact]
    public void ForScheduler_ImplicitWithStoredToken_StoredToken()
    {
        CachedConfigStore.Save(CachedPath, new CachedConfig().WithToken(AuthUrl, "jwt-2"));

        var token = DistTokens.ForScheduler(Dist(new DistOAuth2ImplicitAuth("id", AuthUrl)), Env, File.Exists, out var problem);

        Assert.Equal("jwt-2", token);
        Assert.Null(problem);
    }

    [Fact]
    public void ForScheduler_MozillaWithSccacheWrittenFile_StoredToken()
    {
        var mozilla = DistOAuth2CodeGrantPkceAuth.Mozilla;
        File.WriteAllText(CachedPath, $"[dist.auth_tokens]\n\"{mozilla.AuthUrl}\" = \"moz-token\"\n");

        var token = DistTokens.ForScheduler(Dist(mozilla), Env, File.Exists, out var problem);

        Assert.Equal("moz-token", token);
        Assert.Null(problem);
    }

    [Fact]
    public void ForScheduler_NoCachedConfig_NullWithHint()
    {
        var token = DistTokens.ForScheduler(Dist(new DistOAuth2CodeGrantPkceAuth("id", AuthUrl, "http://t/")), Env, File.Exists, out var problem);

        Assert.Null(token);
        Assert.Equal($"no token for {AuthUrl}: run `sharpcache --dist-auth`", problem);
    }

    [Fact]
    public void ForScheduler_TokenForAnotherUrlOnly_NullWithHint()
    {
        CachedConfigStore.Save(CachedPath, new CachedConfig().WithToken(AuthUrl + "&x=1", "other"));

        var token = DistTokens.ForScheduler(Dist(new DistOAuth2ImplicitAuth("id", AuthUrl)), Env, File.Exists, out var problem);

        Assert.Null(token);
        Assert.Equal($"no token for {AuthUrl}: run `sharpcache --dist-auth`", problem);
    }

    [Fact]
    public void ForScheduler_BrokenCachedConfig_NullNamingTheFile()
    {
        File.WriteAllText(CachedPath, "[dist\nauth_tokens = 3");

        var token = DistTokens.ForScheduler(Dist(new DistOAuth2ImplicitAuth("id", AuthUrl)), Env, File.Exists, out var problem);

        Assert.Null(token);
        Assert.StartsWith("cannot read the cached config " + CachedPath, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ForScheduler_DefaultCachedConfigLocation_UnderXdgConfigHome()
    {
        var xdg = Path.Combine(_root.FullName, "xdg");
        CachedConfigStore.Save(Path.Combine(xdg, "sharpcache", "cached-config"), new CachedConfig().WithToken(AuthUrl, "jwt-3"));

        var token = DistTokens.ForScheduler(Dist(new DistOAuth2ImplicitAuth("id", AuthUrl)), TestEnv.Of(("XDG_CONFIG_HOME", xdg)), File.Exists, out _);

        Assert.Equal("jwt-3", token);
    }
}
