using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Client;

/// <summary>Request building and error mapping shared by the two clients.</summary>
internal static class DistHttp
{
    public static HttpRequestMessage Post(Uri url, HttpContent content, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, HttpCompletionOption option, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, option, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DistClientException(e.StatusCode, null, $"{request.RequestUri}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DistClientException(null, null, $"{request.RequestUri}: timed out", e);
        }
    }

    /// <summary>Throws <see cref="DistClientException"/> with the server's error body for a non-2xx answer.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ErrorResponse? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(DistJsonContext.Default.ErrorResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
        {
            // Not one of ours (a proxy's page): the status says enough.
        }

        throw new DistClientException(response.StatusCode, error, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {error?.Error} {error?.Detail}".TrimEnd());
    }
}
