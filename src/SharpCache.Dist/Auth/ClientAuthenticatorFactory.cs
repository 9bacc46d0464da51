using SharpCache.Dist.Config;

namespace SharpCache.Dist.Auth;

/// <summary>Builds the <see cref="IClientAuthenticator"/> for a <see cref="ClientAuthConfig"/> (fetches the JWKS for jwt_validate).</summary>
internal static class ClientAuthenticatorFactory
{
    public static async Task<IClientAuthenticator> CreateAsync(ClientAuthConfig config, HttpClient http, TimeProvider time, CancellationToken cancellationToken) => config switch
    {
        ClientAuthConfig.Insecure => new StaticClientAuthenticator(ClientAuthConfig.InsecureClientToken),
        ClientAuthConfig.Token token => new StaticClientAuthenticator(token.Value),
        ClientAuthConfig.JwtValidate jwt => await JwksClientAuthenticator.CreateAsync(jwt.Issuer, jwt.Audience, jwt.JwksUrl, http, cancellationToken).ConfigureAwait(false),
        ClientAuthConfig.ProxyToken proxy => new ProxyClientAuthenticator(proxy.Url, proxy.CacheFor, http, time),
        _ => throw new InvalidOperationException("unknown client auth type"),
    };
}
