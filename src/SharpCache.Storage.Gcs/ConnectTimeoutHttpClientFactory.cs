using System.Net;
using Google.Apis.Http;

namespace SharpCache.Storage.Gcs;

/// <summary>
/// The Google client's HTTP stack with a TCP connect timeout, so that a dead endpoint costs that
/// timeout rather than the operating system's (minutes).
/// </summary>
internal sealed class ConnectTimeoutHttpClientFactory(TimeSpan connectTimeout) : HttpClientFactory
{
    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) =>
        new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            AutomaticDecompression = args.GZipEnabled ? DecompressionMethods.GZip | DecompressionMethods.Deflate : DecompressionMethods.None,
            AllowAutoRedirect = false,
        };
}
