namespace SharpCache.Dist.Scheduler;

/// <summary>Allocation choice, pruning and reconciliation; every method here runs under the lock.</summary>
internal sealed partial class SchedulerState
{
    /// <summary>
    /// sccache-dist's choice (least load per core below <see cref="MaxLoad"/>, servers with a recent
    /// error only as a backup, oldest error first) plus toolchain affinity: a server that already
    /// holds the toolchain and has a free core wins over one that would need an upload.
    /// </summary>
    private ServerEntry? ChooseServerLocked(string toolchainId, DateTimeOffset now)
    {
        ServerEntry? best = null;
        var bestLoad = MaxLoad;
        ServerEntry? bestHolder = null;
        var bestHolderLoad = 1.0;
        ServerEntry? backup = null;
        var backupLoad = MaxLoad;
        var deadBefore = now - _config.ServerTimeout;
        var errorBefore = now - _config.ServerErrorMemory;
        foreach (var server in _order)
        {
            if (server.LastSeen < deadBefore)
            {
                continue;
            }

            var load = server.Load;
            if (server.LastError is not null && server.LastErrorAt >= errorBefore)
            {
                if (load < MaxLoad && (backup is null || server.LastErrorAt < backup.LastErrorAt || (server.LastErrorAt == backup.LastErrorAt && load < backupLoad)))
                {
                    backup = server;
                    backupLoad = load;
                }

                continue;
            }

            if (load < bestLoad)
            {
                best = server;
                bestLoad = load;
            }

            if (load < bestHolderLoad && server.Toolchains.Contains(toolchainId))
            {
                bestHolder = server;
                bestHolderLoad = load;
            }
        }

        return bestHolder ?? best ?? backup;
    }

    private void PruneLocked(DateTimeOffset now)
    {
        var deadBefore = now - _config.ServerTimeout;
        for (var i = _order.Count - 1; i >= 0; i--)
        {
            if (_order[i].LastSeen < deadBefore)
            {
                RemoveServerLocked(_order[i]);
            }
        }

        List<JobEntry>? expired = null;
        foreach (var job in _jobs.Values)
        {
            var limit = job.Phase switch
            {
                JobPhase.Pending => _config.PendingJobTimeout,
                JobPhase.Ready => _config.ReadyJobTimeout,
                _ => _config.StartedJobTimeout,
            };
            if (now - job.PhaseSince > limit)
            {
                (expired ??= []).Add(job);
            }
        }

        foreach (var job in expired ?? [])
        {
            if (job.Phase != JobPhase.Started)
            {
                job.Server.LastError = $"job {job.JobId} was allocated but never started ({job.Phase})";
                job.Server.LastErrorAt = now;
            }

            RemoveJobLocked(job);
        }
    }

    /// <summary>
    /// Adopts jobs the server says it runs that the scheduler does not know (a restarted scheduler),
    /// and drops started jobs the server no longer runs (a lost completion report).
    /// </summary>
    private void ReconcileRunningJobsLocked(ServerEntry server, IReadOnlyList<ulong> running, DateTimeOffset now)
    {
        var runningSet = running.Count == 0 ? null : new HashSet<ulong>(running);
        foreach (var jobId in running)
        {
            if (!_jobs.ContainsKey(jobId))
            {
                var job = new JobEntry(jobId, server, "", JobPhase.Started, now);
                _jobs.Add(jobId, job);
                server.Jobs.Add(jobId);
            }
        }

        List<JobEntry>? gone = null;
        foreach (var jobId in server.Jobs)
        {
            var job = _jobs[jobId];
            if (job.Phase == JobPhase.Started && runningSet?.Contains(jobId) != true && now - job.PhaseSince > RunningJobGrace)
            {
                (gone ??= []).Add(job);
            }
        }

        foreach (var job in gone ?? [])
        {
            RemoveJobLocked(job);
        }
    }

    private void RemoveJobLocked(JobEntry job)
    {
        _jobs.Remove(job.JobId);
        job.Server.Jobs.Remove(job.JobId);
    }

    private void RemoveServerLocked(ServerEntry server)
    {
        foreach (var jobId in server.Jobs)
        {
            _jobs.Remove(jobId);
        }

        server.Jobs.Clear();
        _servers.Remove(server.ServerId);
        _order.Remove(server);
    }
}
