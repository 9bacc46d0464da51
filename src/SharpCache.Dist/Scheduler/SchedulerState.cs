using SharpCache.Dist.Auth;
using SharpCache.Dist.Config;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Scheduler;

/// <summary>
/// The scheduler's whole state: live servers and allocated jobs, in memory, behind one lock. It is
/// small and rebuilt from heartbeats, so a restarted scheduler recovers within one heartbeat period
/// (servers re-register and report the jobs they are still running). Time comes from
/// <see cref="TimeProvider"/> so tests can drive heartbeats and timeouts.
/// </summary>
internal sealed partial class SchedulerState
{
    /// <summary>The load of a server that has reached cores + slack (sccache-dist's 3.0).</summary>
    public const double FullLoad = 3.0;

    /// <summary>Servers at or above this load get no new job (sccache-dist's MAX_PER_CORE_LOAD).</summary>
    public const double MaxLoad = 2.0;

    /// <summary>A started job missing from its server's heartbeat is dropped only after this grace (heartbeat built before the job started).</summary>
    private static readonly TimeSpan RunningJobGrace = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly SchedulerConfig _config;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ServerEntry> _servers = new(StringComparer.Ordinal);
    private readonly List<ServerEntry> _order = [];
    private readonly Dictionary<ulong, JobEntry> _jobs = [];
    private ulong _nextJobId;

    public SchedulerState(SchedulerConfig config, TimeProvider time)
    {
        _config = config;
        _time = time;
        // Job ids are unique across scheduler restarts (servers remember ids they have run), so
        // they start from the clock, not from 0: 4096 ids per millisecond of uptime.
        _nextJobId = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() << 12;
    }

    public int ServerCount
    {
        get
        {
            lock (_lock)
            {
                return _servers.Count;
            }
        }
    }

    /// <summary>Registers or refreshes a server. <paramref name="serverId"/> is the authenticated id.</summary>
    public HeartbeatResponse Heartbeat(HeartbeatRequest request, byte[] jobKey)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            PruneLocked(now);
            var isNew = false;
            if (!_servers.TryGetValue(request.ServerId, out var server) || server.InstanceId != request.InstanceId)
            {
                if (server is not null)
                {
                    // Restarted server: its old jobs are gone with the old process.
                    RemoveServerLocked(server);
                }

                server = new ServerEntry(request.ServerId, request.InstanceId);
                _servers.Add(server.ServerId, server);
                _order.Add(server);
                isNew = true;
            }

            server.NumCpus = request.NumCpus;
            server.MaxJobs = request.MaxJobs;
            server.Signer = new JobTokenSigner(jobKey);
            server.Toolchains = new HashSet<string>(request.Toolchains, StringComparer.Ordinal);
            server.LastSeen = now;
            ReconcileRunningJobsLocked(server, request.RunningJobs, now);
            return new HeartbeatResponse(isNew);
        }
    }

    /// <summary>Picks a server for a job with <paramref name="toolchainId"/>, or says why none.</summary>
    public AllocationOutcome Allocate(string toolchainId)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var server = ChooseServerLocked(toolchainId, now);
            if (server is null)
            {
                return new AllocationOutcome(
                    new AllocJobResponse { Status = AllocJobStatus.NoCapacity, Reason = $"Insufficient capacity across {_servers.Count} available servers" },
                    null);
            }

            var jobId = _nextJobId++;
            var needToolchain = !server.Toolchains.Contains(toolchainId);
            var job = new JobEntry(jobId, server, toolchainId, needToolchain ? JobPhase.Pending : JobPhase.Ready, now);
            _jobs.Add(jobId, job);
            server.Jobs.Add(jobId);
            var expires = now + _config.PendingJobTimeout;
            var token = server.Signer.Sign(new JobTokenClaims(jobId, server.ServerId, toolchainId, expires.ToUnixTimeMilliseconds()));
            return new AllocationOutcome(
                new AllocJobResponse
                {
                    Status = AllocJobStatus.Allocated,
                    Job = new JobAllocation
                    {
                        JobId = jobId,
                        ServerId = server.ServerId,
                        ServerUrl = server.ServerUrl,
                        JobToken = token,
                        NeedToolchain = needToolchain,
                    },
                },
                server.ServerId);
        }
    }

    /// <summary>Applies a state report from the server that owns the job.</summary>
    public JobStateResponse UpdateJob(string serverId, ulong jobId, JobState state)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_jobs.TryGetValue(jobId, out var job))
            {
                return new JobStateResponse(false, $"unknown job {jobId}");
            }

            if (job.Server.ServerId != serverId)
            {
                return new JobStateResponse(false, $"job {jobId} belongs to another server");
            }

            job.Server.LastSeen = now;
            switch (state)
            {
                case JobState.Started when job.Phase is JobPhase.Pending or JobPhase.Ready:
                    job.Phase = JobPhase.Started;
                    job.PhaseSince = now;
                    // The server must hold the toolchain to start: affinity learns it at once.
                    job.Server.Toolchains.Add(job.ToolchainId);
                    return new JobStateResponse(true, null);
                case JobState.Started:
                    return new JobStateResponse(false, $"job {jobId} is already {job.Phase}");
                case JobState.Complete:
                    job.Server.Toolchains.Add(job.ToolchainId); // it ran there (a quick job is never reported as started)
                    RemoveJobLocked(job);
                    return new JobStateResponse(true, null);
                default:
                    return new JobStateResponse(false, $"unknown state {state}");
            }
        }
    }

    public SchedulerStatus Status()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            PruneLocked(now);
            var servers = new List<ServerStatusEntry>(_order.Count);
            var cpus = 0;
            foreach (var server in _order)
            {
                cpus += server.NumCpus;
                servers.Add(new ServerStatusEntry
                {
                    ServerId = server.ServerId,
                    NumCpus = server.NumCpus,
                    MaxJobs = server.MaxJobs,
                    JobsAssigned = server.Jobs.Count,
                    Load = server.Load,
                    LastSeenSecsAgo = Math.Round((now - server.LastSeen).TotalSeconds, 3),
                    Toolchains = server.Toolchains.Count,
                    LastError = server.LastError,
                });
            }

            return new SchedulerStatus { NumServers = _servers.Count, NumCpus = cpus, InProgress = _jobs.Count, Servers = servers };
        }
    }

    /// <summary>Drops dead servers and timed-out jobs (also done on each heartbeat and status call).</summary>
    public void Prune()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            PruneLocked(now);
        }
    }

    public JobPhase? PhaseOf(ulong jobId)
    {
        lock (_lock)
        {
            return _jobs.TryGetValue(jobId, out var job) ? job.Phase : null;
        }
    }
}
