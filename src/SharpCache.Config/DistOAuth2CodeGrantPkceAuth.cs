namespace SharpCache.Config;

/// <summary><c>type = "oauth2_code_grant_pkce"</c> (<c>client_id</c>, <c>auth_url</c>, <c>token_url</c>): browser PKCE flow via <c>--dist-auth</c>.</summary>
public sealed record DistOAuth2CodeGrantPkceAuth(string ClientId, string AuthUrl, string TokenUrl) : DistAuthConfig
{
    /// <summary>
    /// <c>type = "mozilla"</c>: the values sccache used for Mozilla's auth0 tenant before it dropped the type
    /// (kept so the Firefox documentation's client config reads).
    /// </summary>
    public static DistOAuth2CodeGrantPkceAuth Mozilla { get; } = new(
        "F1VVD6nRTckSVrviMRaOdLBWIk1AvHYo",
        "https://auth.mozilla.auth0.com/authorize?audience=sccache&scope=openid%20profile",
        "https://auth.mozilla.auth0.com/oauth/token");

    public override string Type => "oauth2_code_grant_pkce";
}
