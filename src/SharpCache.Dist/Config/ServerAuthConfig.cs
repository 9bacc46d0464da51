namespace SharpCache.Dist.Config;

/// <summary>
/// How the scheduler checks a build server's bearer token (<c>[server_auth]</c> in scheduler.conf).
/// Closed set of cases.
/// </summary>
public abstract record ServerAuthConfig
{
    private ServerAuthConfig()
    {
    }

    /// <summary><c>type = "DANGEROUSLY_INSECURE"</c>: servers present <c>"&lt;ip:port&gt; dangerously_insecure_server"</c>.</summary>
    public sealed record Insecure : ServerAuthConfig;

    /// <summary><c>type = "token"</c>: servers present <c>"&lt;ip:port&gt; &lt;token&gt;"</c>.</summary>
    public sealed record Token(string Value) : ServerAuthConfig
    {
        public override string ToString() => "Token { Value = *** }";
    }

    /// <summary><c>type = "jwt_hs256"</c>: servers present an HS256 JWT <c>{exp: 0, server_id}</c> signed with this 32-byte key.</summary>
    public sealed record JwtHs256(byte[] SecretKey) : ServerAuthConfig
    {
        public override string ToString() => "JwtHs256 { SecretKey = *** }";
    }

    /// <summary>The constant a build server appends to its address when auth is DANGEROUSLY_INSECURE.</summary>
    public const string InsecureServerToken = "dangerously_insecure_server";

    internal static ServerAuthConfig Read(TomlSection section)
    {
        var type = section.RequiredString("type");
        ServerAuthConfig result = type switch
        {
            "DANGEROUSLY_INSECURE" => new Insecure(),
            "token" => new Token(ClientAuthConfig.NonEmpty(section, "token")),
            "jwt_hs256" => new JwtHs256(ReadKey(section)),
            _ => throw section.Error("type", $"unknown server auth type '{type}' (expected jwt_hs256, token or DANGEROUSLY_INSECURE)"),
        };
        section.RejectUnknownKeys();
        return result;
    }

    private static byte[] ReadKey(TomlSection section)
    {
        var text = section.RequiredString("secret_key");
        var key = Auth.Base64Url.TryDecode(text);
        return key is { Length: 32 }
            ? key
            : throw section.Error("secret_key", "must be 32 bytes in URL-safe base64 (make one with `sharpcache-dist auth generate-jwt-hs256-key`)");
    }
}
