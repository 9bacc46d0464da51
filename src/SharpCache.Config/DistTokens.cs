namespace SharpCache.Config;

/// <summary>
/// The bearer token the client sends to the scheduler (sccache's <c>Authorization: Bearer</c> on <c>alloc_job</c>):
/// for <c>[dist.auth] type = "token"</c> its <c>token</c> (default: the insecure client token); for the OAuth2 types
/// (<c>oauth2_code_grant_pkce</c>, <c>oauth2_implicit</c>, <c>mozilla</c>) the token <c>--dist-auth</c> stored in the cached
/// config under the <c>auth_url</c> (<see cref="ConfigPaths.CachedConfigFile"/>). Never throws for a missing or broken
/// cached config: the answer is null with a one-line <c>problem</c>.
/// </summary>
public static class DistTokens
{
    /// <summary>The bearer for the scheduler, or null with <paramref name="problem"/> saying why and what to run.</summary>
    public static string? ForScheduler(DistConfig dist, Func<string, string?> env, Func<string, bool> exists, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(dist);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(exists);
        problem = null;
        string authUrl;
        switch (dist.Auth)
        {
            case DistTokenAuth token:
                return token.Token;
            case DistOAuth2CodeGrantPkceAuth pkce:
                authUrl = pkce.AuthUrl;
                break;
            case DistOAuth2ImplicitAuth implicitFlow:
                authUrl = implicitFlow.AuthUrl;
                break;
            default:
                problem = $"[dist.auth] type \"{dist.Auth.Type}\" has no token";
                return null;
        }

        var path = ConfigPaths.CachedConfigFile(env, exists);
        var cached = CachedConfigStore.Load(path, out var errors);
        if (errors.Count > 0)
        {
            problem = $"cannot read the cached config {path}: {errors[0]}";
            return null;
        }

        if (cached.AuthTokens.TryGetValue(authUrl, out var stored) && !string.IsNullOrEmpty(stored))
        {
            return stored;
        }

        problem = $"no token for {authUrl}: run `sharpcache --dist-auth`";
        return null;
    }
}
