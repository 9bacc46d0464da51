using Microsoft.Extensions.Logging;

namespace SharpCache.Dist.Scheduler;

public sealed partial class SchedulerHost
{
    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Scheduler listening on {Url}")]
        public static partial void Listening(ILogger logger, Uri url);

        [LoggerMessage(101, LogLevel.Information, "Build server {ServerId} registered ({NumCpus} cores, instance {InstanceId})")]
        public static partial void ServerRegistered(ILogger logger, string serverId, int numCpus, string instanceId);

        [LoggerMessage(102, LogLevel.Warning, "Rejected a build server's heartbeat from {Address}: bad or missing server token")]
        public static partial void ServerAuthFailed(ILogger logger, string address);

        [LoggerMessage(103, LogLevel.Warning, "Rejected alloc_job from {Address}: bad or missing client token")]
        public static partial void ClientAuthFailed(ILogger logger, string address);
    }
}
