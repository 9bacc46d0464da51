namespace SharpCache.Dist.Protocol;

// Small JSON messages of protocol v1 (snake_case on the wire). Large payloads never appear here:
// toolchains, inputs and outputs travel as raw binary bodies (see Frame).

/// <summary>Build server → scheduler, every heartbeat interval. Authenticated by <c>server_auth</c>.</summary>
public sealed record HeartbeatRequest
{
    /// <summary>The server's <c>public_addr</c> (<c>ip:port</c>): its identity and where clients reach it.</summary>
    public required string ServerId { get; init; }

    /// <summary>Random per process start: a new value means the server restarted and its old jobs are gone.</summary>
    public required string InstanceId { get; init; }

    public required int NumCpus { get; init; }

    public required int MaxJobs { get; init; }

    /// <summary>The server's 32-byte job-token key, URL-safe base64.</summary>
    public required string JobKey { get; init; }

    /// <summary>Toolchain ids the server holds (for affinity).</summary>
    public IReadOnlyList<string> Toolchains { get; init; } = [];

    /// <summary>Job ids the server is running now (a restarted scheduler adopts them).</summary>
    public IReadOnlyList<ulong> RunningJobs { get; init; } = [];
}

/// <summary>Scheduler → build server: whether the scheduler (re)registered it on this heartbeat.</summary>
public sealed record HeartbeatResponse(bool IsNew);

/// <summary>Client → scheduler: ask for a server for one compile with this toolchain.</summary>
public sealed record AllocJobRequest(string ToolchainId);

/// <summary>Scheduler → client. <see cref="Job"/> is set when <see cref="Status"/> is <see cref="AllocJobStatus.Allocated"/>.</summary>
public sealed record AllocJobResponse
{
    public required AllocJobStatus Status { get; init; }

    public JobAllocation? Job { get; init; }

    /// <summary>Why nothing was allocated (for the client's log).</summary>
    public string? Reason { get; init; }
}

/// <summary>A job the scheduler allocated: where to run it and the token that lets the client do so.</summary>
public sealed record JobAllocation
{
    public required ulong JobId { get; init; }

    public required string ServerId { get; init; }

    /// <summary>Base URL of the build server (<c>http://ip:port</c>).</summary>
    public required string ServerUrl { get; init; }

    /// <summary>Bearer for the server's toolchain and run_job endpoints of this job only.</summary>
    public required string JobToken { get; init; }

    /// <summary>The scheduler's view: the server does not hold the toolchain yet, upload it first.</summary>
    public required bool NeedToolchain { get; init; }
}

/// <summary>Build server → scheduler: a job moved on.</summary>
public sealed record JobStateUpdate(JobState State);

/// <summary>Scheduler → build server: whether the transition was valid for a job it knows.</summary>
public sealed record JobStateResponse(bool Accepted, string? Reason = null);

/// <summary><c>GET /api/v1/scheduler/status</c>: sccache's <c>num_servers</c>/<c>num_cpus</c>/<c>in_progress</c>, plus per-server detail.</summary>
public sealed record SchedulerStatus
{
    public required int NumServers { get; init; }

    public required int NumCpus { get; init; }

    public required int InProgress { get; init; }

    public required IReadOnlyList<ServerStatusEntry> Servers { get; init; }
}

/// <summary>One live server in <see cref="SchedulerStatus"/>.</summary>
public sealed record ServerStatusEntry
{
    public required string ServerId { get; init; }

    public required int NumCpus { get; init; }

    public required int MaxJobs { get; init; }

    public required int JobsAssigned { get; init; }

    public required double Load { get; init; }

    public required double LastSeenSecsAgo { get; init; }

    public required int Toolchains { get; init; }

    public string? LastError { get; init; }
}

/// <summary>Build server → client after a toolchain upload.</summary>
public sealed record ToolchainUploadResponse(ToolchainUploadStatus Status, string? Reason = null);

/// <summary>The command part of a run_job request (first frame of the body; the inputs tar follows).</summary>
public sealed record RunJobRequest
{
    /// <summary>Absolute path of the compiler inside the toolchain.</summary>
    public required string Executable { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment of the compiler; nothing else from the server leaks in.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Absolute working directory inside the sandbox (created if missing).</summary>
    public required string Cwd { get; init; }

    /// <summary>Files to send back (absolute, or relative to <see cref="Cwd"/>); missing ones are left out of the result.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
}

/// <summary>
/// The header frame of a completed run_job response; stdout, stderr and then each output's bytes
/// follow it, in this order, with these lengths.
/// </summary>
public sealed record RunJobResult
{
    public required int ExitCode { get; init; }

    /// <summary>The signal that ended the compiler, if any (then <see cref="ExitCode"/> is 128 + signal).</summary>
    public int? Signal { get; init; }

    public required long StdoutLength { get; init; }

    public required long StderrLength { get; init; }

    public required IReadOnlyList<OutputFile> Outputs { get; init; }
}

/// <summary>One returned output file.</summary>
public sealed record OutputFile(string Path, long Length);

/// <summary>Body of every 4xx/5xx answer: a stable machine code (<see cref="DistErrorCodes"/>) and a human detail.</summary>
public sealed record ErrorResponse(string Error, string? Detail = null);

/// <summary>A build server's own view (<c>GET /api/v1/server/status</c>, no auth).</summary>
public sealed record BuildServerStatus
{
    public required string ServerId { get; init; }

    public required string InstanceId { get; init; }

    public required int MaxJobs { get; init; }

    public required int RunningJobs { get; init; }

    public required int Toolchains { get; init; }

    public required long ToolchainBytes { get; init; }

    public required bool SchedulerReachable { get; init; }
}
