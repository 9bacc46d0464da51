namespace SharpCache.Config;

/// <summary>
/// <c>[dist.auth]</c>: how the client authenticates to the scheduler. Sealed cases: <see cref="DistTokenAuth"/>
/// (default: the insecure token), <see cref="DistOAuth2CodeGrantPkceAuth"/>, <see cref="DistOAuth2ImplicitAuth"/>.
/// <c>type = "mozilla"</c> (Firefox's documented setting) reads as the PKCE flow preset <see cref="DistOAuth2CodeGrantPkceAuth.Mozilla"/>.
/// </summary>
public abstract record DistAuthConfig
{
    /// <summary>The bearer token sccache's clients send when no auth is configured.</summary>
    public const string InsecureClientToken = "dangerously_insecure_client";

    /// <summary>The <c>type</c> value of this case.</summary>
    public abstract string Type { get; }
}
