using System.Globalization;
using System.Net;

namespace SharpCache.Config;

/// <summary>
/// sccache's rules for a scheduler URL: <c>http</c> or <c>https</c>, a host with an optional port, no path other
/// than <c>/</c>; a bare <c>ip:port</c> is accepted with a warning and taken as <c>http://ip:port</c>. Checked by
/// hand rather than with <see cref="Uri"/>, whose first use costs ~30 µs in a NativeAOT process and this runs on
/// every compile; <see cref="DistConfig.SchedulerUrl"/> builds the <see cref="Uri"/> when someone asks.
/// </summary>
public static class SchedulerUrl
{
    private static readonly System.Buffers.SearchValues<char> HostChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

    private static readonly System.Buffers.SearchValues<char> HexColonDot =
        System.Buffers.SearchValues.Create("abcdefABCDEF0123456789:.");

    /// <summary>The normalised URL (<c>scheme://authority/</c>), or null with <paramref name="problem"/> saying why it is refused.</summary>
    public static string? Parse(string text, out string? problem, out string? warning)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        warning = null;
        var url = text;
        if (!text.Contains("://", StringComparison.Ordinal) && IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port != 0)
        {
            warning = $"'{text}' has no scheme; assuming http";
            url = "http://" + text;
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? string.Empty : url[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            problem = schemeEnd < 0 ? $"'{text}' is not a URL (expected http://host[:port] or https://host[:port])" : $"'{text}' is not an http or https URL";
            return null;
        }

        var rest = url.AsSpan(schemeEnd + 3);
        var authorityEnd = rest.IndexOfAny('/', '?', '#');
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? [] : rest[authorityEnd..];
        if (!tail.IsEmpty && !tail.SequenceEqual("/"))
        {
            problem = $"'{text}' has a path; a scheduler URL is scheme://host[:port] only";
            return null;
        }

        if (!IsAuthority(authority))
        {
            problem = $"'{text}' has no valid host[:port]";
            return null;
        }

        return string.Concat(scheme, "://", authority, "/");
    }

    private static bool IsAuthority(ReadOnlySpan<char> authority)
    {
        if (authority.IsEmpty || authority.ContainsAny(" \t@"))
        {
            return false;
        }

        var bracketed = authority[0] == '[';
        var hostEnd = bracketed ? authority.IndexOf(']') + 1 : authority.LastIndexOf(':');
        if (hostEnd == -1 && !bracketed)
        {
            hostEnd = authority.Length;
        }

        if (hostEnd <= 0)
        {
            return false;
        }

        var host = bracketed ? authority[1..(hostEnd - 1)] : authority[..hostEnd];
        var allowed = bracketed ? HexColonDot : HostChars;
        if (host.IsEmpty || host.ContainsAnyExcept(allowed))
        {
            return false;
        }

        var port = authority[hostEnd..];
        return port.IsEmpty || (port[0] == ':' && ushort.TryParse(port[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0);
    }
}
