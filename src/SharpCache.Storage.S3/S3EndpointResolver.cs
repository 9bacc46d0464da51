namespace SharpCache.Storage.S3;

/// <summary>
/// sccache's endpoint normalisation: <c>use_ssl = true</c> forces https, <c>false</c> forces http,
/// unset keeps the given scheme (https when there is none); the path is kept.
/// </summary>
internal static class S3EndpointResolver
{
    public static Uri Resolve(string endpoint, bool? useSsl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        var trimmed = endpoint.Trim();
        var hasScheme = trimmed.Contains("://", StringComparison.Ordinal);
        var withScheme = hasScheme ? trimmed : "https://" + trimmed;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"S3 endpoint '{endpoint}' is not a host, host:port or http(s) URL", nameof(endpoint));
        }

        if (useSsl is null)
        {
            return uri;
        }

        var builder = new UriBuilder(uri)
        {
            Scheme = useSsl.Value ? Uri.UriSchemeHttps : Uri.UriSchemeHttp,
            Port = uri.IsDefaultPort ? -1 : uri.Port,
        };
        return builder.Uri;
    }
}
