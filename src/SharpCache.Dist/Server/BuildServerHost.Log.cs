using Microsoft.Extensions.Logging;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Server;

public sealed partial class BuildServerHost
{
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Information, "Build server {ServerId} listening on {Url} (process limit via {Mechanism})")]
        public static partial void Listening(ILogger logger, string serverId, Uri url, string mechanism);

        [LoggerMessage(201, LogLevel.Information, "Registered with the scheduler at {SchedulerUrl}")]
        public static partial void Registered(ILogger logger, Uri schedulerUrl);

        [LoggerMessage(202, LogLevel.Warning, "Heartbeat to {SchedulerUrl} failed: {Reason}")]
        public static partial void HeartbeatFailed(ILogger logger, Uri schedulerUrl, string reason);

        [LoggerMessage(203, LogLevel.Warning, "Rejected {Path}: {Reason}")]
        public static partial void JobAuthFailed(ILogger logger, string path, string reason);

        [LoggerMessage(204, LogLevel.Information, "Toolchain {ToolchainId} upload: {Result}")]
        public static partial void ToolchainUpload(ILogger logger, string toolchainId, string result);

        [LoggerMessage(205, LogLevel.Debug, "Job {JobId} completed with exit code {ExitCode}")]
        public static partial void JobCompleted(ILogger logger, ulong jobId, int exitCode);

        [LoggerMessage(206, LogLevel.Warning, "Job {JobId} failed: {Reason}")]
        public static partial void JobFailed(ILogger logger, ulong jobId, string reason);

        [LoggerMessage(207, LogLevel.Debug, "Reporting job {JobId} {State} to the scheduler failed: {Reason}")]
        public static partial void ReportFailed(ILogger logger, ulong jobId, JobState state, string reason);

        [LoggerMessage(208, LogLevel.Warning, "Sandbox: {Reason}")]
        public static partial void SandboxWarning(ILogger logger, string reason);
    }
}
