namespace SharpCache.Dist.Protocol;

/// <summary>
/// Every endpoint of the wire protocol, version 1. Documented in docs/distributed.md; a change of
/// shape gets a new version prefix, never an edit in place.
/// </summary>
public static class DistRoutes
{
    public const string SchedulerHeartbeat = "/api/v1/scheduler/heartbeat";
    public const string SchedulerAllocJob = "/api/v1/scheduler/alloc_job";
    public const string SchedulerJobStatePattern = "/api/v1/scheduler/job_state/{jobId}";
    public const string SchedulerStatus = "/api/v1/scheduler/status";

    public const string ServerToolchainPattern = "/api/v1/server/toolchain/{toolchainId}";
    public const string ServerRunJobPattern = "/api/v1/server/run_job/{jobId}";
    public const string ServerStatus = "/api/v1/server/status";

    public static string SchedulerJobState(ulong jobId) => $"/api/v1/scheduler/job_state/{jobId}";

    public static string ServerToolchain(string toolchainId) => $"/api/v1/server/toolchain/{Uri.EscapeDataString(toolchainId)}";

    public static string ServerRunJob(ulong jobId) => $"/api/v1/server/run_job/{jobId}";

    /// <summary>Media type of the framed run_job request and response bodies (see <see cref="Frame"/>).</summary>
    public const string FramedMediaType = "application/vnd.sharpcache.dist-frame";

    /// <summary>
    /// Media type of a run_job request whose inputs stream in records (<see cref="JobInputRecords"/>) after the command frame,
    /// sent while the client still preprocesses; the response is the framed one.
    /// </summary>
    public const string StreamedMediaType = "application/vnd.sharpcache.dist-stream";

    /// <summary>Whether a request's content type is <see cref="StreamedMediaType"/> (parameters ignored).</summary>
    public static bool IsStreamed(string? contentType) =>
        contentType is not null && contentType.AsSpan().TrimStart().StartsWith(StreamedMediaType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == StreamedMediaType.Length || contentType.AsSpan(StreamedMediaType.Length).TrimStart().StartsWith(";", StringComparison.Ordinal));
}
