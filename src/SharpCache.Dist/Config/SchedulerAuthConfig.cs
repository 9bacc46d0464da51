namespace SharpCache.Dist.Config;

/// <summary>
/// What a build server presents to the scheduler (<c>[scheduler_auth]</c> in server.conf). Closed set of cases.
/// </summary>
public abstract record SchedulerAuthConfig
{
    private SchedulerAuthConfig()
    {
    }

    /// <summary><c>type = "DANGEROUSLY_INSECURE"</c>.</summary>
    public sealed record Insecure : SchedulerAuthConfig;

    /// <summary><c>type = "token"</c>: the scheduler's shared server token.</summary>
    public sealed record Token(string Value) : SchedulerAuthConfig
    {
        public override string ToString() => "Token { Value = *** }";
    }

    /// <summary><c>type = "jwt_token"</c>: a JWT from <c>generate-jwt-hs256-server-token</c>; its <c>server_id</c> must be this server's <c>public_addr</c>.</summary>
    public sealed record JwtToken(string Value) : SchedulerAuthConfig
    {
        public override string ToString() => "JwtToken { Value = *** }";
    }

    /// <summary>The <c>Authorization</c> bearer value this server sends for <paramref name="serverId"/>.</summary>
    public string BearerFor(string serverId) => this switch
    {
        Insecure => $"{serverId} {ServerAuthConfig.InsecureServerToken}",
        Token t => $"{serverId} {t.Value}",
        JwtToken j => j.Value,
        _ => throw new InvalidOperationException("unknown scheduler auth"),
    };

    internal static SchedulerAuthConfig Read(TomlSection section, string serverId)
    {
        var type = section.RequiredString("type");
        SchedulerAuthConfig result = type switch
        {
            "DANGEROUSLY_INSECURE" => new Insecure(),
            "token" => new Token(ClientAuthConfig.NonEmpty(section, "token")),
            "jwt_token" => new JwtToken(ReadJwt(section, serverId)),
            _ => throw section.Error("type", $"unknown scheduler auth type '{type}' (expected jwt_token, token or DANGEROUSLY_INSECURE)"),
        };
        section.RejectUnknownKeys();
        return result;
    }

    private static string ReadJwt(TomlSection section, string serverId)
    {
        var token = ClientAuthConfig.NonEmpty(section, "token");
        // Like sccache-dist: the claim is checked without the signature (the server does not hold the key).
        var claimed = Auth.ServerJwt.ReadServerIdUnverified(token);
        if (claimed is null)
        {
            throw section.Error("token", "is not a JWT with a server_id claim (make one with `sharpcache-dist auth generate-jwt-hs256-server-token`)");
        }

        return claimed == serverId
            ? token
            : throw section.Error("token", $"was made for server '{claimed}' but public_addr is '{serverId}'");
    }
}
