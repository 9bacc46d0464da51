namespace SharpCache.TestServers;

/// <summary>How to start a <see cref="NginxWebDav"/>. Defaults: no auth, <c>create_full_put_path on</c>.</summary>
public sealed record NginxWebDavOptions
{
    /// <summary>Basic auth user (with <see cref="Password"/>): an htpasswd made with <c>openssl passwd -apr1</c>.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Require <c>Authorization: Bearer TOKEN</c> (checked by an nginx <c>if</c>); not combined with basic auth.</summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// nginx creates missing parent directories on PUT. Off, a PUT into a missing collection
    /// answers 409 Conflict, as most WebDAV servers do, and the client must MKCOL the parents.
    /// </summary>
    public bool CreateFullPutPath { get; init; } = true;
}
