namespace SharpCache.Config;

/// <summary><c>type = "token"</c>: a static bearer token.</summary>
public sealed record DistTokenAuth(string Token) : DistAuthConfig
{
    public override string Type => "token";

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Token = ***");
        return true;
    }
}
