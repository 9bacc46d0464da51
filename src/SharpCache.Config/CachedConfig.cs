namespace SharpCache.Config;

/// <summary>
/// The cached (writable) config sccache keeps next to the client config: <c>[dist] auth_tokens = { "&lt;auth url&gt;" = "&lt;token&gt;" }</c>,
/// the OAuth tokens <c>--dist-auth</c> obtained. Read and written by <see cref="CachedConfigStore"/>.
/// </summary>
public sealed record CachedConfig
{
    /// <summary>Token by auth URL.</summary>
    public IReadOnlyDictionary<string, string> AuthTokens { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>This config with <paramref name="token"/> stored for <paramref name="authUrl"/>.</summary>
    public CachedConfig WithToken(string authUrl, string token)
    {
        var tokens = new Dictionary<string, string>(AuthTokens, StringComparer.Ordinal) { [authUrl] = token };
        return this with { AuthTokens = tokens };
    }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("AuthTokens = [").Append(string.Join(", ", AuthTokens.Keys)).Append(']');
        return true;
    }
}
