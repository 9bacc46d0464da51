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

    /// <summary>Sandbox processes kept started ahead of jobs: one per job slot and one more (a slot's replacement is armed just after its job), at most this many.</summary>
    private const int MaxArmed = 64;

    private readonly string _bwrap;
    private readonly ProcessCountLimit _limit;
    private readonly SandboxLauncher _launcher;
    private readonly ServerConfig _config;

    private BubblewrapSandbox(string bwrap, ProcessCountLimit limit, SandboxLauncher launcher, ServerConfig config)
    {
        _bwrap = bwrap;
        _limit = limit;
        _launcher = launcher;
        _config = config;
    }

    /// <summary>How job processes are limited and started, for the start-up log: "cgroup, armed".</summary>
    public string LimitMechanism => $"{_limit.Mechanism}, {_launcher.Mode}{(_launcher.NewNetwork ? ", network namespace made ahead" : "")}";

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
        var launcher = await SandboxLauncher.CreateAsync(limit, config.JobMaxProcesses, Math.Min(config.MaxJobs + 1, MaxArmed), cancellationToken).ConfigureAwait(false);
        return new BubblewrapSandbox(bwrap, limit, launcher, config);
    }

    /// <summary>A fresh job directory: <c>root/</c> (inputs; the job's writable tree) and <c>root/tmp</c>.</summary>
    public string CreateJobDirectory(ulong jobId)
    {
        var dir = Path.Combine(_config.Builder.BuildDir, "builds", $"job-{jobId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dir, "root", "tmp"));
        return dir;
    }

    public async Task<SandboxOutcome> RunAsync(ulong jobId, string toolchainRoot, string jobDir, RunJobRequest job, CancellationToken cancellationToken)
    {
        var jobRoot = Path.Combine(jobDir, "root");
        if (TreePaths.Resolve(toolchainRoot, job.Executable) is not { } exe || !File.Exists(exe))
        {
            if (TreePaths.Resolve(jobRoot, job.Executable) is not { } inputExe || !File.Exists(inputExe))
            {
                return new SandboxOutcome.Failed($"executable '{job.Executable}' is not in the toolchain");
            }
        }

        var args = new List<string>(64) { _bwrap };
        args.AddRange(_launcher.NewNetwork
            ? ["--unshare-user-try", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"] // --unshare-all but the network: the launcher's own new, empty one (not even loopback is up)
            : ["--unshare-all"]);
        args.AddRange(["--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sharpcache-job"]);
        var conflict = SandboxLayout.Build(toolchainRoot, jobRoot, Path.Combine(jobRoot, "tmp"), args);
        if (conflict is not null)
        {
            return new SandboxOutcome.Failed(conflict);
        }

        args.AddRange(["--clearenv", "--chdir", job.Cwd]);
        foreach (var (name, value) in job.Env)
        {
            if (name.Length > 0 && !name.Contains('=', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal) && !value.Contains('\0', StringComparison.Ordinal))
            {
                args.AddRange(["--setenv", name, value]);
            }
        }

        args.Add("--");
        args.Add(job.Executable);
        args.AddRange(job.Arguments);

        var stdoutPath = Path.Combine(jobDir, "stdout");
        var stderrPath = Path.Combine(jobDir, "stderr");
        SandboxLauncher.Launched launched;
        try
        {
            launched = await _launcher.StartAsync(args, Path.Combine(jobDir, "command")).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new SandboxOutcome.Failed($"cannot start the sandbox: {e.Message}");
        }

        using var owned = launched;
        var process = launched.Process;
        var group = launched.Group;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_config.JobTimeout);
        var stdoutCopy = CapturedStream.CaptureAsync(process.StandardOutput.BaseStream, stdoutPath, _config.MaxOutputSize);
        var stderrCopy = CapturedStream.CaptureAsync(process.StandardError.BaseStream, stderrPath, _config.MaxOutputSize);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            process.Kill(entireProcessTree: true);
            group.KillAll();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var stdout = await stdoutCopy.ConfigureAwait(false);
        var stderr = await stderrCopy.ConfigureAwait(false);
        if (timedOut)
        {
            return new SandboxOutcome.TimedOut(_config.JobTimeout);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!launched.Sent)
        {
            return new SandboxOutcome.Failed($"the sandbox process exited before its job (exit {process.ExitCode}): {stderr.Text().Trim()}");
        }

        if (process.ExitCode == 1 && stderr.Text(BwrapErrorPrefix.Length) == BwrapErrorPrefix)
        {
            return new SandboxOutcome.Failed(stderr.Text().Trim());
        }

        return new SandboxOutcome.Completed(process.ExitCode, stdout, stderr);
    }

    public void Dispose()
    {
        _launcher.Dispose();
        _limit.Dispose();
    }

    private static bool TryParseVersion(string output, out Version version)
    {
        // "bubblewrap 0.8.0"
        var text = output.Trim().Split(' ').LastOrDefault() ?? "";
        return Version.TryParse(text, out version!);
    }
}
