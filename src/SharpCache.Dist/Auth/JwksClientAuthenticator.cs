using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SharpCache.Dist.Auth;

/// <summary>
/// <c>jwt_validate</c>: the bearer is a JWT signed by one of the issuer's keys (JWKS, fetched once at
/// startup, looked up by <c>kid</c>), with the configured <c>iss</c> and <c>aud</c>, not expired.
/// </summary>
internal sealed class JwksClientAuthenticator : IClientAuthenticator
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;

    private JwksClientAuthenticator(TokenValidationParameters parameters) => _parameters = parameters;

    public static async Task<JwksClientAuthenticator> CreateAsync(string issuer, string audience, Uri jwksUrl, HttpClient http, CancellationToken cancellationToken)
    {
        var json = await http.GetStringAsync(jwksUrl, cancellationToken).ConfigureAwait(false);
        var keys = new JsonWebKeySet(json).GetSigningKeys();
        if (keys.Count == 0)
        {
            throw new InvalidOperationException($"the JWKS at {jwksUrl} holds no signing keys");
        }

        return new JwksClientAuthenticator(new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
    }

    public async ValueTask<bool> IsAuthorizedAsync(string? bearer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(bearer))
        {
            return false;
        }

        var result = await _handler.ValidateTokenAsync(bearer, _parameters).ConfigureAwait(false);
        return result.IsValid;
    }
}
