using SharpCache.Dist.Auth;
using SharpCache.Dist.Config;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Scheduler;

namespace SharpCache.Dist.Tests.Scheduler;

public sealed class SchedulerStateTests
{
    private const string ToolchainA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string ToolchainB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private readonly ManualTimeProvider _time = new();
    private readonly byte[] _key = JobTokenSigner.NewKey();

    private SchedulerState NewState() => new(new SchedulerConfig
    {
        PublicAddr = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        ClientAuth = new ClientAuthConfig.Insecure(),
        ServerAuth = new ServerAuthConfig.Insecure(),
    }, _time);

    private HeartbeatResponse Beat(SchedulerState state, string id, int cpus, string instance = "i1", string[]? toolchains = null, ulong[]? running = null)
        => state.Heartbeat(new HeartbeatRequest
        {
            ServerId = id,
            InstanceId = instance,
            NumCpus = cpus,
            MaxJobs = cpus,
            JobKey = Base64Url.Encode(_key),
            Toolchains = toolchains ?? [],
            RunningJobs = running ?? [],
        }, _key);

    [Fact]
    public void Allocate_TwoServers_PicksLeastLoadPerCore()
    {
        var state = NewState();
        Beat(state, "10.0.0.1:10500", 2);
        Beat(state, "10.0.0.2:10500", 8);
        var picks = Enumerable.Range(0, 5).Select(_ => state.Allocate(ToolchainA).ServerId).ToList();
        // 8 cores take the first jobs until their load per core passes the 2-core server's.
        Assert.Equal("10.0.0.1:10500", picks[0]);
        Assert.Equal("10.0.0.2:10500", picks[1]);
        Assert.Equal(4, picks.Count(p => p == "10.0.0.2:10500"));
    }

    [Fact]
    public void Allocate_ServerHoldsToolchainWithFreeCore_PreferredOverIdleServer()
    {
        var state = NewState();
        Beat(state, "10.0.0.1:10500", 4);
        Beat(state, "10.0.0.2:10500", 4, toolchains: [ToolchainA]);
        state.Allocate(ToolchainB); // loads one of them
        var outcome = state.Allocate(ToolchainA);
        Assert.Equal("10.0.0.2:10500", outcome.ServerId);
        Assert.False(outcome.Response.Job!.NeedToolchain);
        var other = state.Allocate(ToolchainB);
        Assert.True(other.Response.Job!.NeedToolchain);
    }

    [Fact]
    public void Allocate_BeyondCoresPlusSlack_NoCapacity()
    {
        var state = NewState();
        Beat(state, "10.0.0.1:10500", 2);
        // 2 cores + 1 + 2/8 = 3 jobs, then "full".
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AllocJobStatus.Allocated, state.Allocate(ToolchainA).Response.Status);
        }

        var full = state.Allocate(ToolchainA).Response;
        Assert.Equal(AllocJobStatus.NoCapacity, full.Status);
        Assert.Contains("Insufficient capacity across 1 available servers", full.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Heartbeats_Missed_ServerDroppedWithItsJobs()
    {
        var state = NewState();
        Beat(state, "10.0.0.1:10500", 2);
        Beat(state, "10.0.0.2:10500", 2);
        state.Allocate(ToolchainA);
        _time.Advance(TimeSpan.FromSeconds(60));
        Beat(state, "10.0.0.2:10500", 2);
        _time.Advance(TimeSpan.FromSeconds(31));
        var status = state.Status();
        Assert.Equal(1, status.NumServers);
        Assert.Equal("10.0.0.2:10500", status.Servers[0].ServerId);
        Assert.Equal("10.0.0.2:10500", state.Allocate(ToolchainA).ServerId);
    }

    [Fact]
    public void Heartbeat_NewInstanceId_DetectedAsRestartAndJobsDropped()
    {
        var state = NewState();
        Assert.True(Beat(state, "10.0.0.1:10500", 2, "first").IsNew);
        Assert.False(Beat(state, "10.0.0.1:10500", 2, "first").IsNew);
        var job = state.Allocate(ToolchainA).Response.Job!;
        Assert.Equal(1, state.Status().InProgress);
        Assert.True(Beat(state, "10.0.0.1:10500", 2, "second").IsNew);
        Assert.Equal(0, state.Status().InProgress);
        Assert.Null(state.PhaseOf(job.JobId));
    }

    [Fact]
    public void RestartedScheduler_RebuildsViewFromHeartbeats()
    {
        var before = NewState();
        Beat(before, "10.0.0.1:10500", 2);
        var job = before.Allocate(ToolchainA).Response.Job!;
        before.UpdateJob("10.0.0.1:10500", job.JobId, JobState.Started);

        _time.Advance(TimeSpan.FromSeconds(1));
        var after = NewState(); // the scheduler restarted: empty
        Assert.Equal(0, after.Status().NumServers);
        Assert.True(Beat(after, "10.0.0.1:10500", 2, running: [job.JobId]).IsNew);
        var status = after.Status();
        Assert.Equal(1, status.NumServers);
        Assert.Equal(1, status.InProgress); // the running job is adopted and counts towards load
        Assert.Equal(JobPhase.Started, after.PhaseOf(job.JobId));
        Assert.True(after.UpdateJob("10.0.0.1:10500", job.JobId, JobState.Complete).Accepted);
        Assert.NotEqual(job.JobId, after.Allocate(ToolchainA).Response.Job!.JobId);
    }

    [Fact]
    public void JobStates_FollowMachineAndTimeouts()
    {
        var state = NewState();
        Beat(state, "10.0.0.1:10500", 4, toolchains: [ToolchainA]);
        var ready = state.Allocate(ToolchainA).Response.Job!;
        var pending = state.Allocate(ToolchainB).Response.Job!;
        Assert.Equal(JobPhase.Ready, state.PhaseOf(ready.JobId));
        Assert.Equal(JobPhase.Pending, state.PhaseOf(pending.JobId));
        Assert.False(state.UpdateJob("10.0.0.9:10500", ready.JobId, JobState.Started).Accepted);
        Assert.True(state.UpdateJob("10.0.0.1:10500", ready.JobId, JobState.Started).Accepted);
        Assert.False(state.UpdateJob("10.0.0.1:10500", ready.JobId, JobState.Started).Accepted);

        // Ready jobs that never start go after 60 s, pending ones after 300 s; the server gets a last error.
        var unclaimed = state.Allocate(ToolchainA).Response.Job!;
        _time.Advance(TimeSpan.FromSeconds(61));
        Beat(state, "10.0.0.1:10500", 4, toolchains: [ToolchainA], running: [ready.JobId]);
        Assert.Null(state.PhaseOf(unclaimed.JobId));
        Assert.Equal(JobPhase.Pending, state.PhaseOf(pending.JobId));
        Assert.NotNull(state.Status().Servers[0].LastError);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(JobPhase.Pending, state.PhaseOf(pending.JobId));
            _time.Advance(TimeSpan.FromSeconds(80));
            Beat(state, "10.0.0.1:10500", 4, toolchains: [ToolchainA], running: [ready.JobId]);
        }

        Assert.Null(state.PhaseOf(pending.JobId));
        Assert.True(state.UpdateJob("10.0.0.1:10500", ready.JobId, JobState.Complete).Accepted);
        Assert.Equal(0, state.Status().InProgress);
    }

    [Fact]
    public void Allocate_JobToken_VerifiesOnlyWithServersKey()
    {
        var state = NewState();
        Beat(state, "10.0.0.1:10500", 2);
        var job = state.Allocate(ToolchainA).Response.Job!;
        var claims = new JobTokenSigner(_key).Verify(job.JobToken);
        Assert.NotNull(claims);
        Assert.Equal(job.JobId, claims.JobId);
        Assert.Equal("10.0.0.1:10500", claims.ServerId);
        Assert.Equal(ToolchainA, claims.ToolchainId);
        Assert.Null(new JobTokenSigner(JobTokenSigner.NewKey()).Verify(job.JobToken));
        Assert.Null(new JobTokenSigner(_key).Verify(job.JobToken[..^2] + "AA"));
    }
}
