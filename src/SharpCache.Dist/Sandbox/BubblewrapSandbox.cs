using System.Diagnostics;
using System.Text;
using SharpCache.Dist.Config;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Sandbox;

/// <summary>
/// Runs one job under bubblewrap: the toolchain read-only, the job's tree and /tmp writable, the
/// rest of the root read-only, every namespace unshared (network included), all capabilities
/// dropped, a new session, killed with the server, a clean environment, a wall-time limit and a
/// process-count limit. See <see cref="SandboxLayout"/> for the mount layout.
/// </summary>
internal sealed class BubblewrapSandbox : IDisposable
{
    private const string BwrapErrorPrefix = "bwrap:";

    /// <summary>How the runner of a prepared sandbox reports that it could not start the job.</summary>
    private const string RunnerErrorPrefix = "sharpcache-dist-runner:";

    /// <summary>Sandbox processes kept started ahead of jobs: one per job slot and one more (a slot's replacement is armed just after its job), at most this many.</summary>
    private const int MaxArmed = 64;

    private readonly string _bwrap;
    private readonly ProcessCountLimit _limit;
    private readonly SandboxLauncher _launcher;
    private readonly ServerConfig _config;
    private readonly string? _runner;
    private readonly PreparedSandboxes? _prepared;
    private long _directorySequence;

    private BubblewrapSandbox(string bwrap, ProcessCountLimit limit, SandboxLauncher launcher, ServerConfig config, string? runner)
    {
        _bwrap = bwrap;
        _limit = limit;
        _launcher = launcher;
        _config = config;
        _runner = runner;
        if (runner is not null)
        {
            _prepared = new PreparedSandboxes(StartPreparedAsync, NewPreparedDirectory, reason => Warning?.Invoke(reason), Math.Min(config.MaxJobs + 1, MaxArmed));
        }
    }

    /// <summary>How job processes are limited and started, for the start-up log: "cgroup, armed by the runner, prepared sandboxes".</summary>
    public string LimitMechanism => $"{_limit.Mechanism}, {_launcher.Mode}{(_launcher.NewNetwork ? ", network namespace made ahead" : "")}"
        + (_prepared is null ? $", no prepared sandboxes ({PreparedSandboxes.RunnerFileName} was not built)" : ", prepared sandboxes");

    /// <summary>Told when something stops working that jobs can do without (preparing sandboxes).</summary>
    public Action<string>? Warning { get; set; }

    /// <summary>The pool of sandboxes started ahead of their jobs; null without the runner.</summary>
    internal PreparedSandboxes? Prepared => _prepared;

    /// <summary>Checks bubblewrap (≥ 0.3, and that it can build a sandbox here) and recreates <c>build_dir</c>.</summary>
    public static async Task<BubblewrapSandbox> CreateAsync(ServerConfig config, string instanceId, CancellationToken cancellationToken)
    {
        if (config.Builder.Type == BuilderType.Overlay && Environment.UserName != "root")
        {
            throw new DistStartupException("the overlay builder must run as root (use type = \"bubblewrap\" to run without root where user namespaces are allowed)");
        }

        var bwrap = config.Builder.BwrapPath;
        var (code, output) = await ProcessLauncher.RunQuickAsync(bwrap, ["--version"], cancellationToken).ConfigureAwait(false);
        if (code != 0 || !TryParseVersion(output, out var version) || version < new Version(0, 3, 0))
        {
            throw new DistStartupException($"bubblewrap >= 0.3.0 is needed at '{bwrap}' (bwrap_path): {(code == 0 ? output.Trim() : "cannot run it")}");
        }

        (code, output) = await ProcessLauncher.RunQuickAsync(bwrap, ["--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--", "/bin/sh", "-c", "exit 0"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new DistStartupException($"bubblewrap cannot create a sandbox on this machine (user namespaces disabled? not root?): {output.Trim()}");
        }

        var buildDir = config.Builder.BuildDir;
        if (Directory.Exists(buildDir))
        {
            Directory.Delete(buildDir, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(buildDir, "builds"));
        var limit = ProcessCountLimit.Detect(instanceId);
        var runner = PreparedSandboxes.FindRunner();
        var launcher = await SandboxLauncher.CreateAsync(limit, config.JobMaxProcesses, Math.Min(config.MaxJobs + 1, MaxArmed), runner, cancellationToken).ConfigureAwait(false);
        return new BubblewrapSandbox(bwrap, limit, launcher, config, runner);
    }

    /// <summary>A fresh job directory: <c>root/</c> (inputs; the job's writable tree) and <c>root/tmp</c>.</summary>
    public string CreateJobDirectory(ulong jobId) => NewJobDirectory($"job-{jobId}");

    /// <summary>A ready prepared sandbox for <paramref name="toolchainRoot"/> (its <see cref="PreparedSandboxes.Prepared.JobDir"/> is the job's directory), or null.</summary>
    public PreparedSandboxes.Prepared? TakePrepared(string toolchainRoot) => _prepared?.Take(toolchainRoot);

    /// <summary>Releases the sandboxes waiting for jobs and their toolchain pins (the toolchain cache needs room).</summary>
    public void ReleasePrepared() => _prepared?.ReleaseIdle();

    /// <summary>
    /// Hands <paramref name="job"/> to <paramref name="prepared"/>'s runner before the job's inputs are in (its working directory
    /// is created for it), so that once they are only the go byte is left (<see cref="RunAsync"/> with the returned end
    /// marker). Null when the sandbox does not offer the working directory's top-level directory, or could not take the job:
    /// the job then starts as it would have.
    /// </summary>
    public async Task<string?> ArmAsync(PreparedSandboxes.Prepared prepared, RunJobRequest job)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(job);
        var top = job.Cwd.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (top.Length == 0 || !prepared.Fits([top[0]]))
        {
            return null;
        }

        Directory.CreateDirectory(Path.Combine(prepared.JobDir, "root", job.Cwd.TrimStart('/')));
        var marker = NewMarker();
        return await prepared.ArmAsync(RunnerJob(job, marker)).ConfigureAwait(false) ? marker : null;
    }

    /// <summary>Ends the runner's trailer: random per job, so the job cannot guess it.</summary>
    private static string NewMarker() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Runs <paramref name="job"/>, in <paramref name="prepared"/> when its tree fits (else bubblewrap is started for the
    /// job; the caller, which took <paramref name="prepared"/>, releases it either way), and prepares a sandbox for the next job of this toolchain once this one is done;
    /// <paramref name="pin"/> pins the toolchain for that one.
    /// </summary>
    public async Task<SandboxOutcome> RunAsync(string toolchainRoot, string jobDir, RunJobRequest job, PreparedSandboxes.Prepared? prepared, Func<IDisposable?> pin, CancellationToken cancellationToken, string? armedMarker = null)
    {
        var jobRoot = Path.Combine(jobDir, "root");
        var names = _prepared is null ? null : PreparedSandboxes.TopLevelDirectories(jobRoot);
        try
        {
            return await RunAsync(toolchainRoot, jobDir, job, prepared, names, armedMarker, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _prepared?.PrepareNext(toolchainRoot, pin, names, prepared?.Names, job.Cwd);
        }
    }

    private async Task<SandboxOutcome> RunAsync(string toolchainRoot, string jobDir, RunJobRequest job, PreparedSandboxes.Prepared? prepared, IReadOnlyList<string>? names, string? armedMarker, CancellationToken cancellationToken)
    {
        var jobRoot = Path.Combine(jobDir, "root");
        if (TreePaths.Resolve(toolchainRoot, job.Executable) is not { } exe || !File.Exists(exe))
        {
            if (TreePaths.Resolve(jobRoot, job.Executable) is not { } inputExe || !File.Exists(inputExe))
            {
                return new SandboxOutcome.Failed($"executable '{job.Executable}' is not in the toolchain");
            }
        }

        SandboxLauncher.Launched launched;
        string? endMarker = null;
        if (prepared is not null && prepared.Fits(names)
            && (armedMarker is not null ? await prepared.GoAsync().ConfigureAwait(false) : await prepared.StartAsync(RunnerJob(job, armedMarker = NewMarker())).ConfigureAwait(false)))
        {
            launched = prepared.Launched;
            endMarker = armedMarker;
        }
        else
        {
            var args = SandboxArgs(toolchainRoot, jobRoot, runner: null, out var conflict);
            if (conflict is not null)
            {
                return new SandboxOutcome.Failed(conflict);
            }

            args.AddRange(["--clearenv", "--chdir", job.Cwd]);
            foreach (var (name, value) in JobEnvironment(job))
            {
                args.AddRange(["--setenv", name, value]);
            }

            args.Add("--");
            args.Add(job.Executable);
            args.AddRange(job.Arguments);
            try
            {
                launched = await _launcher.StartAsync(args, Path.Combine(jobDir, "command")).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
            {
                return new SandboxOutcome.Failed($"cannot start the sandbox: {e.Message}");
            }
        }

        var ended = false;
        try
        {
            var (outcome, reported) = await WaitAsync(launched, jobDir, endMarker, cancellationToken).ConfigureAwait(false);
            ended = reported;
            return outcome;
        }
        finally
        {
            if (ended)
            {
                // On the pool, not inline: the sandbox has usually exited by now, and releasing it here (its process group,
                // the runtime's bookkeeping of the exit) came before the job's answer (~60 us of the server's 0.8 ms there).
                _ = Task.Run(() => ReleaseAfterExitAsync(launched), CancellationToken.None);
            }
            else
            {
                launched.Dispose();
            }
        }
    }

    /// <summary>
    /// Waits for the job in <paramref name="launched"/> and collects its outcome. With <paramref name="endMarker"/> (a prepared
    /// sandbox's runner) the job has ended when both streams end with the runner's trailer: its status is in them, and the
    /// sandbox need not be gone yet (<paramref name="reported"/>; the caller releases it once it has exited). Otherwise, or
    /// when the runner could not report, the job has ended when the sandbox process has exited.
    /// </summary>
    private async Task<(SandboxOutcome Outcome, bool Reported)> WaitAsync(SandboxLauncher.Launched launched, string jobDir, string? endMarker, CancellationToken cancellationToken)
    {
        var process = launched.Process;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_config.JobTimeout);
        var stdoutCopy = CapturedStream.CaptureAsync(process.StandardOutput.BaseStream, Path.Combine(jobDir, "stdout"), _config.MaxOutputSize, endMarker);
        var stderrCopy = CapturedStream.CaptureAsync(process.StandardError.BaseStream, Path.Combine(jobDir, "stderr"), _config.MaxOutputSize, endMarker);
        var timedOut = false;
        var reported = false;
        try
        {
            if (endMarker is not null)
            {
                await Task.WhenAll(stdoutCopy, stderrCopy).WaitAsync(timeout.Token).ConfigureAwait(false);
                reported = stdoutCopy.Result.EndStatus is not null && stderrCopy.Result.EndStatus is not null;
            }

            if (!reported)
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            process.Kill(entireProcessTree: true);
            launched.Group.KillAll();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var stdout = await stdoutCopy.ConfigureAwait(false);
        var stderr = await stderrCopy.ConfigureAwait(false);
        if (timedOut)
        {
            return (new SandboxOutcome.TimedOut(_config.JobTimeout), false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!launched.Sent)
        {
            return (new SandboxOutcome.Failed($"the sandbox process exited before its job (exit {process.ExitCode}): {stderr.Text().Trim()}"), false);
        }

        var exitCode = reported ? stdout.EndStatus!.Value : process.ExitCode;
        if (exitCode == 1 && (stderr.Text(BwrapErrorPrefix.Length) == BwrapErrorPrefix || stderr.Text(RunnerErrorPrefix.Length) == RunnerErrorPrefix))
        {
            return (new SandboxOutcome.Failed(stderr.Text().Trim()), reported);
        }

        return (new SandboxOutcome.Completed(exitCode, stdout, stderr), reported);
    }

    /// <summary>How long a sandbox whose runner has reported may take to go before it is killed.</summary>
    private static readonly TimeSpan TeardownLimit = TimeSpan.FromSeconds(10);

    /// <summary>Releases a sandbox whose runner has reported once it has exited (its process and group), killing it if it lingers.</summary>
    private static async Task ReleaseAfterExitAsync(SandboxLauncher.Launched launched)
    {
        try
        {
            await launched.Process.WaitForExitAsync().WaitAsync(TeardownLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            try
            {
                launched.Process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            launched.Group.KillAll();
        }
        finally
        {
            launched.Dispose();
        }
    }

    public void Dispose()
    {
        _prepared?.Dispose();
        _launcher.Dispose();
        _limit.Dispose();
    }

    /// <summary>
    /// bubblewrap's options for a job tree: namespaces, limits and the layout (<see cref="SandboxLayout"/>), with
    /// <paramref name="runner"/> bound read-only at <see cref="PreparedSandboxes.RunnerPath"/> when given.
    /// </summary>
    private List<string> SandboxArgs(string toolchainRoot, string jobRoot, string? runner, out string? conflict)
    {
        var args = new List<string>(64) { _bwrap };
        args.AddRange(_launcher.NewNetwork
            ? ["--unshare-user-try", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"] // --unshare-all but the network: the launcher's own new, empty one (not even loopback is up)
            : ["--unshare-all"]);
        args.AddRange(["--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sharpcache-job"]);
        conflict = SandboxLayout.Build(toolchainRoot, jobRoot, Path.Combine(jobRoot, "tmp"), args, runner is null ? null : (runner, PreparedSandboxes.RunnerPath));
        return args;
    }

    /// <summary>The job's environment entries that can be passed on (a name without '=', no NUL anywhere).</summary>
    private static IEnumerable<(string Name, string Value)> JobEnvironment(RunJobRequest job) =>
        job.Env.Where(e => e.Key.Length > 0 && !e.Key.Contains('=', StringComparison.Ordinal) && !e.Key.Contains('\0', StringComparison.Ordinal) && !e.Value.Contains('\0', StringComparison.Ordinal))
            .Select(e => (e.Key, e.Value));

    /// <summary>
    /// A job as the runner reads it: the end marker of its trailer, cwd, the count of environment entries, the entries, the
    /// executable and its arguments.
    /// </summary>
    internal static byte[] RunnerJob(RunJobRequest job, string endMarker)
    {
        var env = JobEnvironment(job).Select(e => $"{e.Name}={e.Value}").ToList();
        return SandboxLauncher.Payload([endMarker, job.Cwd, env.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. env, job.Executable, .. job.Arguments]);
    }

    /// <summary>Starts bubblewrap with the runner for a prepared sandbox; null when the layout conflicts.</summary>
    private async Task<SandboxLauncher.Launched?> StartPreparedAsync(string toolchainRoot, string jobDir)
    {
        var args = SandboxArgs(toolchainRoot, Path.Combine(jobDir, "root"), _runner, out var conflict);
        if (conflict is not null)
        {
            return null;
        }

        args.AddRange(["--clearenv", "--", PreparedSandboxes.RunnerPath]);
        return await _launcher.StartAsync(args, Path.Combine(jobDir, "command"), keepInputOpen: true).ConfigureAwait(false);
    }

    /// <summary>An empty job directory for a prepared sandbox.</summary>
    private string NewPreparedDirectory() => NewJobDirectory($"prepared-{Interlocked.Increment(ref _directorySequence)}");

    private string NewJobDirectory(string name)
    {
        var dir = Path.Combine(_config.Builder.BuildDir, "builds", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dir, "root", "tmp"));
        return dir;
    }

    private static bool TryParseVersion(string output, out Version version)
    {
        // "bubblewrap 0.8.0"
        var text = output.Trim().Split(' ').LastOrDefault() ?? "";
        return Version.TryParse(text, out version!);
    }
}
