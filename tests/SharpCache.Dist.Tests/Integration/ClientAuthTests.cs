using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SharpCache.Dist.Config;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Scheduler;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>client_auth jwt_validate and proxy_token against a real identity endpoint on loopback.</summary>
public sealed class ClientAuthTests : IAsyncLifetime
{
    private const string Issuer = "https://issuer.test/";
    private const string Audience = "sccache-dist";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private WebApplication _identity = null!;
    private Uri _identityUrl = null!;

    public ClientAuthTests() => _key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };

    public async Task InitializeAsync()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "test-key" });
        var jwks = $$"""{"keys":[{"kty":"RSA","kid":"{{jwk.Kid}}","use":"sig","alg":"RS256","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _identity = builder.Build();
        _identity.MapGet("/jwks.json", () => Results.Text(jwks, "application/json"));
        _identity.MapGet("/check", (HttpContext c) => c.Request.Headers.Authorization.ToString() == "Bearer good-token" ? Results.Ok() : Results.StatusCode(403));
        await _identity.StartAsync();
        _identityUrl = new Uri(_identity.Urls.First());
    }

    public async Task DisposeAsync()
    {
        await _identity.DisposeAsync();
        _rsa.Dispose();
    }

    private string Token(string issuer = Issuer, string audience = Audience, TimeSpan? lifetime = null, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = now.AddMinutes(-10),
            IssuedAt = now.AddMinutes(-10),
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<HttpStatusCode> AllocAsync(SchedulerHost scheduler, string? bearer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(scheduler.BaseUrl, DistRoutes.SchedulerAllocJob))
        {
            Content = JsonContent.Create(new AllocJobRequest(new string('a', 64)), DistJsonContext.Default.AllocJobRequest),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private Task<SchedulerHost> StartAsync(string clientAuth) => SchedulerHost.StartAsync(SchedulerConfig.FromToml("scheduler.conf", $"""
        public_addr = "127.0.0.1:0"
        [client_auth]
        {clientAuth}
        [server_auth]
        type = "DANGEROUSLY_INSECURE"
        """), DistCluster.Quiet);

    [Fact]
    public async Task JwtValidate_OnlyValidIssuerAudienceSignatureAndLifetimePass()
    {
        await using var scheduler = await StartAsync($"type = \"jwt_validate\"\nissuer = \"{Issuer}\"\naudience = \"{Audience}\"\njwks_url = \"{_identityUrl}jwks.json\"");
        // OK = authorized (no servers, so the answer is no_capacity, but not 401).
        Assert.Equal(HttpStatusCode.OK, await AllocAsync(scheduler, Token()));
        using var otherRsa = RSA.Create(2048);
        foreach (var bad in new[] { Token(issuer: "https://evil/"), Token(audience: "other"), Token(lifetime: TimeSpan.FromMinutes(-5)), Token(key: new RsaSecurityKey(otherRsa) { KeyId = "test-key" }), "not-a-jwt" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(scheduler, bad));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(scheduler, null));
    }

    [Fact]
    public async Task ProxyToken_DelegatesToUrl()
    {
        await using var scheduler = await StartAsync($"type = \"proxy_token\"\nurl = \"{_identityUrl}check\"\ncache_secs = 60");
        Assert.Equal(HttpStatusCode.OK, await AllocAsync(scheduler, "good-token"));
        Assert.Equal(HttpStatusCode.OK, await AllocAsync(scheduler, "good-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(scheduler, "bad-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(scheduler, null));
    }

    [Fact]
    public async Task Insecure_AcceptsOnlyTheSccacheConstant()
    {
        await using var scheduler = await StartAsync("type = \"DANGEROUSLY_INSECURE\"");
        Assert.Equal(HttpStatusCode.OK, await AllocAsync(scheduler, "dangerously_insecure_client"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AllocAsync(scheduler, "anything"));
    }
}
