using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SharpCache.Dist.Auth;

/// <summary>
/// sccache-dist's server token: an HS256 JWT with claims <c>{exp: 0, server_id: "ip:port"}</c>,
/// signed with the scheduler's <c>server_auth.secret_key</c>. <c>exp = 0</c> means "never expires"
/// there, so lifetime validation is off.
/// </summary>
public static class ServerJwt
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Create(string serverId, byte[] secretKey)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["exp"] = 0, ["server_id"] = serverId },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(secretKey), SecurityAlgorithms.HmacSha256),
        };
        return Handler.CreateToken(descriptor);
    }

    /// <summary>The <c>server_id</c> claim of a valid token signed with <paramref name="secretKey"/>, or null.</summary>
    public static async Task<string?> ValidateAsync(string token, byte[] secretKey)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(secretKey),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = true,
        };
        var result = await Handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        return result.IsValid && result.Claims.TryGetValue("server_id", out var id) && id is string serverId ? serverId : null;
    }

    /// <summary>Reads <c>server_id</c> without checking the signature (the server checks its own config at startup).</summary>
    public static string? ReadServerIdUnverified(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || Base64Url.TryDecode(parts[1]) is not { } payload)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("server_id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
