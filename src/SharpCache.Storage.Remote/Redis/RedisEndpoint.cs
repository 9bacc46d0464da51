using System.Globalization;

namespace SharpCache.Storage.Remote.Redis;

/// <summary>
/// One parsed Redis URL in the forms sccache accepts:
/// <c>redis://[[user]:pass@]host[:port][/db]</c>, <c>rediss://…</c> (TLS; a <c>#insecure</c>
/// suffix skips certificate checks), <c>tcp://…</c> (same as <c>redis://</c>),
/// <c>unix:///path[?db=N]</c> and <c>redis+unix:///path[?db=N]</c> (also <c>user=</c>/<c>pass=</c>).
/// A bare <c>host[:port]</c> is taken as <c>redis://</c>. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record RedisEndpoint
{
    public const int DefaultPort = 6379;

    /// <summary>Host name or address (null for a unix socket).</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    /// <summary>Unix socket path (then <see cref="Host"/> is null).</summary>
    public string? UnixSocketPath { get; init; }

    public bool Tls { get; init; }

    /// <summary><c>rediss://…#insecure</c>: TLS without certificate validation.</summary>
    public bool InsecureTls { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public int? Db { get; init; }

    /// <summary>Parses <paramref name="url"/>; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static RedisEndpoint Parse(string url) =>
        TryParse(url, out var endpoint, out var error) ? endpoint : throw new ArgumentException(error, nameof(url));

    public static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RedisEndpoint? endpoint, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        error = null;
        var text = (url ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            error = "empty Redis endpoint";
            return false;
        }

        var insecure = false;
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            var fragment = text[(hash + 1)..];
            if (!fragment.Equals("insecure", StringComparison.OrdinalIgnoreCase))
            {
                error = $"Redis URL '{Redact(text)}': unknown fragment '#{fragment}' (only #insecure)";
                return false;
            }

            insecure = true;
            text = text[..hash];
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "redis://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            error = $"Redis URL '{Redact(text)}' is not a valid URL";
            return false;
        }

        var query = ParseQuery(uri.Query);
        var (user, pass) = ParseUserInfo(uri.UserInfo);
        user ??= query.GetValueOrDefault("user") ?? query.GetValueOrDefault("username");
        pass ??= query.GetValueOrDefault("pass") ?? query.GetValueOrDefault("password");
        int? db = null;
        if (query.TryGetValue("db", out var dbText))
        {
            if (!TryParseDb(dbText, out var queryDb))
            {
                error = $"Redis URL '{Redact(text)}': db '{dbText}' is not a number 0-255";
                return false;
            }

            db = queryDb;
        }

        switch (uri.Scheme.ToLowerInvariant())
        {
            case "redis" or "rediss" or "tcp":
                var tls = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase);
                if (insecure && !tls)
                {
                    error = $"Redis URL '{Redact(text)}': #insecure needs rediss://";
                    return false;
                }

                if (string.IsNullOrEmpty(uri.Host))
                {
                    error = $"Redis URL '{Redact(text)}' has no host";
                    return false;
                }

                var path = uri.AbsolutePath.Trim('/');
                if (path.Length > 0)
                {
                    if (!TryParseDb(path, out var pathDb))
                    {
                        error = $"Redis URL '{Redact(text)}': path '/{path}' is not a db number 0-255";
                        return false;
                    }

                    db = pathDb;
                }

                endpoint = new RedisEndpoint
                {
                    Host = uri.Host.Trim('[', ']'),
                    Port = uri.IsDefaultPort || uri.Port <= 0 ? DefaultPort : uri.Port,
                    Tls = tls,
                    InsecureTls = insecure,
                    Username = user,
                    Password = pass,
                    Db = db,
                };
                return true;
            case "unix" or "redis+unix":
                var socketPath = Uri.UnescapeDataString(uri.AbsolutePath);
                if (!string.IsNullOrEmpty(uri.Host) || socketPath.Length <= 1)
                {
                    error = $"Redis URL '{Redact(text)}': a unix socket URL is unix:///absolute/path";
                    return false;
                }

                endpoint = new RedisEndpoint { Host = null, Port = 0, UnixSocketPath = socketPath, Username = user, Password = pass, Db = db };
                return true;
            default:
                error = $"Redis URL '{Redact(text)}': unknown scheme '{uri.Scheme}' (redis, rediss, tcp, unix, redis+unix)";
                return false;
        }
    }

    /// <summary><c>redis://host:port</c> or <c>unix:///path</c>, with a user name but never a password.</summary>
    public override string ToString()
    {
        var user = Username is null ? string.Empty : Username + "@";
        return UnixSocketPath is not null
            ? $"unix://{UnixSocketPath}"
            : $"{(Tls ? "rediss" : "redis")}://{user}{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static bool TryParseDb(string text, out int db) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out db) && db is >= 0 and <= 255;

    private static (string? User, string? Password) ParseUserInfo(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return (null, null);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // redis://secret@host is a password in redis-rs only with a colon; a lone name is a user.
            return (Uri.UnescapeDataString(userInfo), null);
        }

        var user = Uri.UnescapeDataString(userInfo[..colon]);
        return (user.Length == 0 ? null : user, Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            result[name] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }

        return result;
    }

    private static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', StringComparison.Ordinal);
        return scheme >= 0 && at > scheme ? url[..(scheme + 3)] + "***@" + url[(at + 1)..] : url;
    }
}
