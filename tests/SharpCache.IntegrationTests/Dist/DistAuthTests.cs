using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SharpCache.Dist.Config;
using SharpCache.Dist.Http;
using SharpCache.Dist.Scheduler;
using SharpCache.IntegrationTests.Infrastructure;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// <c>sharpcache --dist-auth</c> against a real OpenID provider (oidc-provider on loopback), its browser step driven by
/// a scripted browser (<c>$BROWSER</c> = <see cref="OidcProviderServer.BrowserCommand"/>), and the stored token checked by
/// a real scheduler's <c>jwt_validate</c> through the provider's JWKS. One class, so the tests take sccache's redirect
/// ports one at a time.
/// </summary>
public sealed class DistAuthTests
{
    private const string OtherUrl = "https://auth.example.test/authorize";
    private const string OtherEntry = "[dist.auth_tokens]\n\"" + OtherUrl + "\" = \"kept-token\"\n";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Pkce_SignInThroughProvider_StoresTokenTheSchedulerAccepts()
    {
        await using var provider = await OidcProviderServer.StartAsync();
        using var env = SignInEnvironment(Pkce(provider));

        var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--dist-auth"], timeout: RunTimeout);

        Assert.True(r.ExitCode == 0, r.Describe() + "\n" + provider.Log);
        Assert.Contains("stored in " + CachedConfig(env), r.StdoutText, StringComparison.Ordinal);
        AssertStderr(r, "code_challenge_method=S256");
        var token = StoredToken(env, AuthUrl(provider));
        Assert.Equal("kept-token", StoredToken(env, OtherUrl));
        await AssertSchedulerAcceptsOnlyAsync(provider, token);
    }

    [Fact]
    public async Task Implicit_SignInThroughProvider_StoresTokenTheSchedulerAccepts()
    {
        await using var provider = await OidcProviderServer.StartAsync();
        using var env = SignInEnvironment($"""
            type = "oauth2_implicit"
            client_id = "{OidcProviderServer.ClientId}"
            auth_url = "{AuthUrl(provider)}"
            """);

        var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--dist-auth"], timeout: RunTimeout);

        Assert.True(r.ExitCode == 0, r.Describe() + "\n" + provider.Log);
        AssertStderr(r, "response_type=token");
        await AssertSchedulerAcceptsOnlyAsync(provider, StoredToken(env, AuthUrl(provider)));
    }

    [Fact]
    public async Task Pkce_UserCancelsAtProvider_Exit2AccessDeniedNothingStored()
    {
        await using var provider = await OidcProviderServer.StartAsync();
        using var env = SignInEnvironment(Pkce(provider));
        env.Env["BROWSER_MODE"] = "abort";

        var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--dist-auth"], timeout: RunTimeout);

        Assert.True(r.ExitCode == 2, r.Describe());
        AssertStderr(r, "sharpcache: error: the identity provider refused the sign-in: access_denied");
        Assert.Equal(OtherEntry, File.ReadAllText(CachedConfig(env)));
    }

    [Fact]
    public async Task Pkce_RedirectWithWrongState_Exit2NothingStored()
    {
        await using var provider = await OidcProviderServer.StartAsync();
        using var env = SignInEnvironment(Pkce(provider));
        env.Env["BROWSER_MODE"] = "wrong-state";

        var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--dist-auth"], timeout: RunTimeout);

        Assert.True(r.ExitCode == 2, r.Describe());
        AssertStderr(r, "sharpcache: error: the sign-in redirect carried the wrong state");
        Assert.Equal(OtherEntry, File.ReadAllText(CachedConfig(env)));
    }

    [Fact]
    public async Task Pkce_TokenEndpointRefuses_Exit2NothingStored()
    {
        await using var provider = await OidcProviderServer.StartAsync();
        using var env = SignInEnvironment(Pkce(provider).Replace(provider.TokenUrl, provider.Issuer + "/no-such-endpoint", StringComparison.Ordinal));

        var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--dist-auth"], timeout: RunTimeout);

        Assert.True(r.ExitCode == 2, r.Describe());
        AssertStderr(r, $"sharpcache: error: the token endpoint {provider.Issuer}/no-such-endpoint answered HTTP 404");
        Assert.Equal(OtherEntry, File.ReadAllText(CachedConfig(env)));
    }

    [Fact]
    public void Pkce_NoBrowserAnswers_TimesOutExit2NothingStored()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_CONF"] = env.Write("client.toml", """
            [dist]
            scheduler_url = "http://127.0.0.1:10600"
            [dist.auth]
            type = "oauth2_code_grant_pkce"
            client_id = "sharpcache"
            auth_url = "http://127.0.0.1:9/auth"
            token_url = "http://127.0.0.1:9/token"
            """);
        env.Env["SCCACHE_CACHED_CONF"] = CachedConfig(env);
        File.WriteAllText(CachedConfig(env), OtherEntry);
        env.Env["BROWSER"] = "true";
        env.Env["SHARPCACHE_DIST_AUTH_TIMEOUT"] = "2";
        var clock = Stopwatch.StartNew();

        var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--dist-auth"], timeout: TimeSpan.FromSeconds(30));

        Assert.True(r.ExitCode == 2, r.Describe());
        AssertStderr(r, "within 2 s");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.Equal(OtherEntry, File.ReadAllText(CachedConfig(env)));
    }

    [Fact]
    public void BrokenCachedConfig_Exit2FileUntouched()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_CONF"] = env.Write("client.toml", """
            [dist.auth]
            type = "oauth2_implicit"
            client_id = "sharpcache"
            auth_url = "http://127.0.0.1:9/auth"
            """);
        env.Env["SCCACHE_CACHED_CONF"] = CachedConfig(env);
        File.WriteAllText(CachedConfig(env), "[dist\nbroken");
        env.Env["BROWSER"] = "true";

        var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--dist-auth"], timeout: TimeSpan.FromSeconds(30));

        Assert.True(r.ExitCode == 2, r.Describe());
        AssertStderr(r, "sharpcache: error: cannot read the cached config " + CachedConfig(env));
        Assert.Equal("[dist\nbroken", File.ReadAllText(CachedConfig(env)));
    }

    [Fact]
    public void TokenAuth_NoSignInNeeded_Exit0()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_CONF"] = env.Write("client.toml", "[dist]\nscheduler_url = \"http://127.0.0.1:10600\"\n[dist.auth]\ntype = \"token\"\ntoken = \"t\"\n");

        var r = env.SharpCache("--dist-auth");

        Assert.True(r.ExitCode == 0, r.Describe());
        AssertStderr(r, "no browser sign-in is needed");
    }

    [Fact]
    public void NoDistSection_Exit2()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_CONF"] = env.Write("client.toml", "[cache.disk]\nsize = 1000000\n");

        var r = env.SharpCache("--dist-auth");

        Assert.True(r.ExitCode == 2, r.Describe());
        AssertStderr(r, "sharpcache: error: no [dist] section");
    }

    private static void AssertStderr(ProcessResult r, string expected) =>
        Assert.True(r.StderrText.Contains(expected, StringComparison.Ordinal), $"stderr lacks '{expected}':\n{r.Describe()}");

    private static string AuthUrl(OidcProviderServer provider) => provider.AuthorizeUrl + "?scope=openid%20dist";

    private static string Pkce(OidcProviderServer provider) => $"""
        type = "oauth2_code_grant_pkce"
        client_id = "{OidcProviderServer.ClientId}"
        auth_url = "{AuthUrl(provider)}"
        token_url = "{provider.TokenUrl}"
        """;

    private static string CachedConfig(TestEnvironment env) => Path.Combine(env.Root, "cached-config");

    /// <summary>A client config for <paramref name="auth"/>, a cached config holding another entry, the scripted browser.</summary>
    private static TestEnvironment SignInEnvironment(string auth)
    {
        var env = new TestEnvironment();
        env.Env["SCCACHE_CONF"] = env.Write("client.toml", "[dist]\nscheduler_url = \"http://127.0.0.1:10600\"\n[dist.auth]\n" + auth + "\n");
        env.Env["SCCACHE_CACHED_CONF"] = CachedConfig(env);
        File.WriteAllText(CachedConfig(env), OtherEntry);
        env.Env["BROWSER"] = OidcProviderServer.BrowserCommand;
        env.Env["SHARPCACHE_DIST_AUTH_TIMEOUT"] = "60";
        return env;
    }

    private static string StoredToken(TestEnvironment env, string authUrl)
    {
        var text = File.ReadAllText(CachedConfig(env));
        var match = Regex.Match(text, "\"" + Regex.Escape(authUrl) + "\" = \"([^\"]+)\"");
        Assert.True(match.Success, $"no token for {authUrl} in the cached config:\n{text}");
        return match.Groups[1].Value;
    }

    /// <summary>
    /// The token opens alloc_job on a scheduler that validates the provider's issuer and audience through its JWKS (200:
    /// no servers, so no_capacity); a tampered token, no token, and the same token on schedulers expecting another
    /// audience or issuer get 401.
    /// </summary>
    private static async Task AssertSchedulerAcceptsOnlyAsync(OidcProviderServer provider, string token)
    {
        Assert.Equal(3, token.Split('.').Length);
        await using var scheduler = await StartSchedulerAsync(provider.Issuer, provider.Audience, provider.JwksUrl);
        await using var otherAudience = await StartSchedulerAsync(provider.Issuer, "urn:sharpcache:other", provider.JwksUrl);
        await using var otherIssuer = await StartSchedulerAsync("http://127.0.0.1:9", provider.Audience, provider.JwksUrl);
        Assert.Equal(HttpStatusCode.OK, await AllocAsync(scheduler, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(scheduler, Tamper(token)));
        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(scheduler, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(otherAudience, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(otherIssuer, token));
    }

    private static Task<SchedulerHost> StartSchedulerAsync(string issuer, string audience, string jwksUrl) =>
        SchedulerHost.StartAsync(SchedulerConfig.FromToml("scheduler.conf", $"""
            public_addr = "127.0.0.1:0"
            [client_auth]
            type = "jwt_validate"
            issuer = "{issuer}"
            audience = "{audience}"
            jwks_url = "{jwksUrl}"
            [server_auth]
            type = "DANGEROUSLY_INSECURE"
            """), new DistHostOptions { LogLevel = LogLevel.Warning });

    /// <summary>The token with one claim changed (sub), its signature kept.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))));
        var changed = Regex.Replace(payload, "\"sub\":\"[^\"]*\"", "\"sub\":\"mallory\"");
        Assert.NotEqual(payload, changed);
        parts[1] = Convert.ToBase64String(Encoding.UTF8.GetBytes(changed)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return string.Join('.', parts);
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private static async Task<HttpStatusCode> AllocAsync(SchedulerHost scheduler, string? bearer)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(scheduler.BaseUrl, "api/v1/scheduler/alloc_job"))
        {
            Content = new StringContent("{\"toolchain_id\":\"" + new string('a', 64) + "\"}", Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
