using System.Net;

namespace SharpCache.Config;

/// <summary>
/// sccache's rules for a scheduler URL: <c>http</c> or <c>https</c>, no path other than <c>/</c>; a bare
/// <c>ip:port</c> is accepted with a warning and taken as <c>http://ip:port</c>.
/// </summary>
public static class SchedulerUrl
{
    /// <summary>The URL, or null with <paramref name="problem"/> saying why it is refused.</summary>
    public static Uri? Parse(string text, out string? problem, out string? warning)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        warning = null;
        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port != 0 && !text.Contains("://", StringComparison.Ordinal))
        {
            warning = $"'{text}' has no scheme; assuming http";
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            problem = $"'{text}' is not a URL";
            return null;
        }

        if (url.Scheme is not ("http" or "https"))
        {
            problem = $"'{text}' is not an http or https URL";
            return null;
        }

        if (url.AbsolutePath != "/" || url.Query.Length > 0)
        {
            problem = $"'{text}' has a path; a scheduler URL is scheme://host[:port] only";
            return null;
        }

        return url;
    }
}
