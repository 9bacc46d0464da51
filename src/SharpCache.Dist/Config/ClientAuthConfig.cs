namespace SharpCache.Dist.Config;

/// <summary>
/// How the scheduler checks a client's bearer token (<c>[client_auth]</c> in scheduler.conf,
/// sccache-dist's <c>ClientAuth</c>). Closed set of cases.
/// </summary>
public abstract record ClientAuthConfig
{
    private ClientAuthConfig()
    {
    }

    /// <summary><c>type = "DANGEROUSLY_INSECURE"</c>: the client presents <c>dangerously_insecure_client</c>.</summary>
    public sealed record Insecure : ClientAuthConfig;

    /// <summary><c>type = "token"</c>: exact match of the bearer token.</summary>
    public sealed record Token(string Value) : ClientAuthConfig
    {
        public override string ToString() => "Token { Value = *** }";
    }

    /// <summary><c>type = "jwt_validate"</c>: an RS256/ES256 JWT checked against the issuer's JWKS (fetched at startup).</summary>
    public sealed record JwtValidate(string Audience, string Issuer, Uri JwksUrl) : ClientAuthConfig;

    /// <summary><c>type = "proxy_token"</c>: GET <paramref name="Url"/> with the client's bearer; 2xx = valid, cached for <paramref name="CacheFor"/>.</summary>
    public sealed record ProxyToken(Uri Url, TimeSpan? CacheFor) : ClientAuthConfig;

    /// <summary>The bearer sccache-dist clients send when the scheduler is DANGEROUSLY_INSECURE.</summary>
    public const string InsecureClientToken = "dangerously_insecure_client";

    internal static ClientAuthConfig Read(TomlSection section)
    {
        var type = section.RequiredString("type");
        ClientAuthConfig result = type switch
        {
            "DANGEROUSLY_INSECURE" => new Insecure(),
            "token" => new Token(NonEmpty(section, "token")),
            "jwt_validate" => new JwtValidate(
                NonEmpty(section, "audience"),
                NonEmpty(section, "issuer"),
                section.OptionalHttpUrl("jwks_url") ?? throw section.Error("jwks_url", "is required")),
            "proxy_token" => new ProxyToken(
                section.OptionalHttpUrl("url") ?? throw section.Error("url", "is required"),
                section.OptionalSeconds("cache_secs", 0, 365 * 86400)),
            _ => throw section.Error("type", $"unknown client auth type '{type}' (expected token, jwt_validate, proxy_token or DANGEROUSLY_INSECURE)"),
        };
        section.RejectUnknownKeys();
        return result;
    }

    internal static string NonEmpty(TomlSection section, string key)
    {
        var value = section.RequiredString(key);
        return value.Length > 0 ? value : throw section.Error(key, "must not be empty");
    }
}
