using System.Net.Http.Json;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Client;

/// <summary>
/// A client's calls to the scheduler (protocol v1): <c>alloc_job</c> with the client bearer, and
/// <c>status</c>. Failures are <see cref="DistClientException"/>. The HttpClient is the caller's.
/// </summary>
public sealed class DistSchedulerClient(HttpClient http, Uri schedulerUrl, string bearer)
{
    public async Task<AllocJobResponse> AllocJobAsync(string toolchainId, CancellationToken cancellationToken)
    {
        using var request = DistHttp.Post(new Uri(schedulerUrl, DistRoutes.SchedulerAllocJob), JsonContent.Create(new AllocJobRequest(toolchainId), DistJsonContext.Default.AllocJobRequest), bearer);
        using var response = await DistHttp.SendAsync(http, request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await DistHttp.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(DistJsonContext.Default.AllocJobResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new DistClientException("alloc_job answered JSON null");
    }

    public async Task<SchedulerStatus> StatusAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(schedulerUrl, DistRoutes.SchedulerStatus));
        using var response = await DistHttp.SendAsync(http, request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await DistHttp.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(DistJsonContext.Default.SchedulerStatus, cancellationToken).ConfigureAwait(false)
            ?? throw new DistClientException("status answered JSON null");
    }
}
