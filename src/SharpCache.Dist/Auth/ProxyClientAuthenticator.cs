using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace SharpCache.Dist.Auth;

/// <summary>
/// <c>proxy_token</c>: the bearer is forwarded in a GET to the configured URL; a 2xx answer means
/// valid. Positive answers are cached for <c>cache_secs</c> (sccache-dist's behaviour); failures
/// of the URL itself deny.
/// </summary>
internal sealed class ProxyClientAuthenticator(Uri url, TimeSpan? cacheFor, HttpClient http, TimeProvider time) : IClientAuthenticator
{
    private const int MaxCachedTokens = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _validUntil = new(StringComparer.Ordinal);

    public async ValueTask<bool> IsAuthorizedAsync(string? bearer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(bearer))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (_validUntil.TryGetValue(bearer, out var until) && until > now)
        {
            return true;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
        }
        catch (HttpRequestException)
        {
            return false;
        }

        if (cacheFor is { } span)
        {
            if (_validUntil.Count >= MaxCachedTokens)
            {
                _validUntil.Clear();
            }

            _validUntil[bearer] = now + span;
        }

        return true;
    }
}
