namespace SharpCache.Config;

/// <summary><c>type = "oauth2_implicit"</c> (<c>client_id</c>, <c>auth_url</c>): browser implicit flow via <c>--dist-auth</c>.</summary>
public sealed record DistOAuth2ImplicitAuth(string ClientId, string AuthUrl) : DistAuthConfig
{
    public override string Type => "oauth2_implicit";
}
