using System.Net;
using SharpCache.Dist.Config;

namespace SharpCache.Dist.Auth;

/// <summary>
/// Checks a build server's bearer per <c>server_auth</c> and returns the server id it proves
/// (<c>ip:port</c>). As in sccache-dist, the id's IP must be the request's source address
/// (<c>X-Real-IP</c> when the scheduler sits behind a reverse proxy that sets it).
/// </summary>
internal sealed class ServerAuthenticator(ServerAuthConfig config)
{
    public async ValueTask<string?> AuthenticateAsync(string? bearer, IPAddress? source)
    {
        if (string.IsNullOrEmpty(bearer))
        {
            return null;
        }

        string? serverId;
        switch (config)
        {
            case ServerAuthConfig.JwtHs256 jwt:
                serverId = await ServerJwt.ValidateAsync(bearer, jwt.SecretKey).ConfigureAwait(false);
                break;
            case ServerAuthConfig.Token token:
                serverId = SplitIdAndSecret(bearer, token.Value);
                break;
            case ServerAuthConfig.Insecure:
                serverId = SplitIdAndSecret(bearer, ServerAuthConfig.InsecureServerToken);
                break;
            default:
                return null;
        }

        if (serverId is null || !IPEndPoint.TryParse(serverId, out var endPoint) || endPoint.Port == 0)
        {
            return null;
        }

        return source is not null && Normalize(source).Equals(Normalize(endPoint.Address)) ? endPoint.ToString() : null;
    }

    private static string? SplitIdAndSecret(string bearer, string secret)
    {
        var space = bearer.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && SharedTokens.Equal(bearer[(space + 1)..], secret) ? bearer[..space] : null;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
