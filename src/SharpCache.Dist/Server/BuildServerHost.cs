using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SharpCache.Dist.Archives;
using SharpCache.Dist.Auth;
using SharpCache.Dist.Config;
using SharpCache.Dist.Http;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Server;

/// <summary>
/// A running build server: registers with the scheduler and heartbeats, accepts toolchain uploads
/// and runs jobs in bubblewrap, at most <see cref="ServerConfig.MaxJobs"/> at once. Every job
/// endpoint needs the job token the scheduler signed with this server's key. Embeddable:
/// <see cref="StartAsync"/> for tests, <see cref="RunAsync(ServerConfig, CancellationToken)"/> for the command line.
/// </summary>
public sealed partial class BuildServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;
    private readonly ServerConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ToolchainCache _toolchains;
    private readonly BubblewrapSandbox _sandbox;
    private readonly SchedulerConnection _scheduler;
    private readonly JobTokenSigner _signer;
    private readonly byte[] _jobKey;
    private readonly SemaphoreSlim _slots;
    private readonly UsedJobIds _usedJobIds;
    private readonly ConcurrentDictionary<ulong, byte> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _heartbeats = Task.CompletedTask;
    private volatile bool _schedulerReachable;

    private BuildServerHost(WebApplication app, ServerConfig config, DistHostOptions options, BubblewrapSandbox sandbox, string instanceId)
    {
        _app = app;
        _config = config;
        _time = options.TimeProvider;
        _log = app.Logger;
        _sandbox = sandbox;
        InstanceId = instanceId;
        ServerId = config.PublicAddr.ToString();
        _jobKey = JobTokenSigner.NewKey();
        _signer = new JobTokenSigner(_jobKey);
        _slots = new SemaphoreSlim(config.MaxJobs, config.MaxJobs);
        _usedJobIds = new UsedJobIds(_time);
        _toolchains = new ToolchainCache(
            config.CacheDir,
            config.ToolchainCacheSize,
            config.MaxToolchainArchiveSize,
            new UnpackLimits(config.MaxToolchainUnpackedSize, config.MaxToolchainFiles),
            _time);
        _toolchains.NeedsRoom = sandbox.ReleasePrepared;
        sandbox.Warning = reason => Log.SandboxWarning(_log, reason);
        _scheduler = new SchedulerConnection(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, config.SchedulerUrl, config.SchedulerAuth.BearerFor(ServerId));
    }

    /// <summary>The server's identity (its <c>public_addr</c>).</summary>
    public string ServerId { get; }

    /// <summary>Random per start; the scheduler detects restarts by it.</summary>
    public string InstanceId { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Starts a build server: checks bubblewrap, recreates build_dir, listens, and starts heartbeating.</summary>
    public static async Task<BuildServerHost> StartAsync(ServerConfig config, DistHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        options = (options ?? new DistHostOptions()) with { InlineScheduling = true, LargeReceiveBlocks = true };
        var instanceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var sandbox = await BubblewrapSandbox.CreateAsync(config, instanceId, cancellationToken).ConfigureAwait(false);
        var app = DistWebHost.Build(config.BindAddress, options);
        var host = new BuildServerHost(app, config, options, sandbox, instanceId);
        host.MapEndpoints();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw new DistStartupException($"cannot listen on {config.BindAddress}: {e.Message}", e);
        }

        host.BaseUrl = DistWebHost.BoundUrl(app);
        Log.Listening(host._log, host.ServerId, host.BaseUrl, sandbox.LimitMechanism);
        host._heartbeats = host.HeartbeatLoopAsync(host._stopping.Token);
        return host;
    }

    public static Task RunAsync(ServerConfig config, CancellationToken cancellationToken) => RunAsync(config, null, cancellationToken);

    /// <summary>Runs a build server until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(ServerConfig config, DistHostOptions? options, CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(config, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Normal shutdown.
        }
    }

    /// <summary>The sandboxes prepared ahead of jobs (tests); null when the runner was not built.</summary>
    internal PreparedSandboxes? PreparedSandboxes => _sandbox.Prepared;

    /// <summary>Sends one heartbeat now (tests; the loop sends them on its own).</summary>
    public Task<HeartbeatResponse> HeartbeatNowAsync(CancellationToken cancellationToken)
        => _scheduler.HeartbeatAsync(BuildHeartbeat(), cancellationToken);

    /// <summary>Stops serving; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _heartbeats.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _scheduler.Dispose();
        _sandbox.Dispose();
        _slots.Dispose();
        _stopping.Dispose();
    }

    private void MapEndpoints()
    {
        _app.MapPost(DistRoutes.ServerToolchainPattern, UploadToolchainAsync);
        _app.MapPost(DistRoutes.ServerRunJobPattern, RunJobAsync);
        _app.MapGet(DistRoutes.ServerStatus, context => HttpJson.WriteAsync(context, 200, new BuildServerStatus
        {
            ServerId = ServerId,
            InstanceId = InstanceId,
            MaxJobs = _config.MaxJobs,
            RunningJobs = _running.Count,
            Toolchains = _toolchains.Ids().Count,
            ToolchainBytes = _toolchains.TotalBytes,
            SchedulerReachable = _schedulerReachable,
        }, DistJsonContext.Default.BuildServerStatus));
        DistWebHost.MapNotFound(_app);
    }

    private HeartbeatRequest BuildHeartbeat() => new()
    {
        ServerId = ServerId,
        InstanceId = InstanceId,
        NumCpus = _config.NumCpus,
        MaxJobs = _config.MaxJobs,
        JobKey = Base64Url.Encode(_jobKey),
        Toolchains = _toolchains.Ids(),
        RunningJobs = [.. _running.Keys],
    };

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        var retry = _config.HeartbeatInterval < TimeSpan.FromSeconds(10) ? _config.HeartbeatInterval : TimeSpan.FromSeconds(10);
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var response = await _scheduler.HeartbeatAsync(BuildHeartbeat(), cancellationToken).ConfigureAwait(false);
                if (response.IsNew || !_schedulerReachable)
                {
                    Log.Registered(_log, _config.SchedulerUrl);
                }

                _schedulerReachable = true;
                wait = _config.HeartbeatInterval;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (_schedulerReachable || e is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized })
                {
                    Log.HeartbeatFailed(_log, _config.SchedulerUrl, e.Message);
                }

                _schedulerReachable = false;
                wait = retry;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The claims of a valid job token for this server, or null (401 written).</summary>
    private async Task<JobTokenClaims?> AuthorizeJobAsync(HttpContext context)
    {
        var bearer = HttpJson.Bearer(context);
        var claims = bearer is null ? null : _signer.Verify(bearer);
        var problem = claims switch
        {
            null => "job token missing or not signed for this server",
            _ when claims.ServerId != ServerId => $"job token is for server {claims.ServerId}",
            _ when claims.ExpiresAtUnixMs < _time.GetUtcNow().ToUnixTimeMilliseconds() =>
                $"job token expired at {DateTimeOffset.FromUnixTimeMilliseconds(claims.ExpiresAtUnixMs):u} but this server's clock says {_time.GetUtcNow():u}: if the job was just allocated, the clocks of the scheduler and this server disagree (run NTP)",
            _ => (string?)null,
        };
        if (problem is null)
        {
            return claims;
        }

        Log.JobAuthFailed(_log, context.Request.Path, problem);
        await HttpJson.ErrorAsync(context, 401, DistErrorCodes.Unauthorized, problem).ConfigureAwait(false);
        return null;
    }

    private Task ReportInBackground(Task previous, ulong jobId, JobState state) => previous.ContinueWith(
        async _ =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _scheduler.ReportAsync(jobId, state, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                Log.ReportFailed(_log, jobId, state, e.Message);
            }
        },
        CancellationToken.None,
        TaskContinuationOptions.None,
        TaskScheduler.Default).Unwrap();
}
