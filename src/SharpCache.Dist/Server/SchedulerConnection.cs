using System.Net.Http.Headers;
using System.Net.Http.Json;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Server;

/// <summary>The build server's calls to the scheduler: heartbeats and job-state reports, with its server bearer.</summary>
internal sealed class SchedulerConnection(HttpClient http, Uri schedulerUrl, string bearer) : IDisposable
{
    public async Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken)
    {
        using var message = Request(DistRoutes.SchedulerHeartbeat, JsonContent.Create(request, DistJsonContext.Default.HeartbeatRequest));
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(DistJsonContext.Default.HeartbeatResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("empty heartbeat response");
    }

    public async Task ReportAsync(ulong jobId, JobState state, CancellationToken cancellationToken)
    {
        using var message = Request(DistRoutes.SchedulerJobState(jobId), JsonContent.Create(new JobStateUpdate(state), DistJsonContext.Default.JobStateUpdate));
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    private HttpRequestMessage Request(string path, HttpContent content)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(schedulerUrl, path)) { Content = content };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return message;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"scheduler answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }
    }
}
