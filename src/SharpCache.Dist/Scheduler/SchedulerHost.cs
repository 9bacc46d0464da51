using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SharpCache.Dist.Auth;
using SharpCache.Dist.Config;
using SharpCache.Dist.Http;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Scheduler;

/// <summary>
/// A running scheduler: Kestrel on <see cref="SchedulerConfig.PublicAddr"/> serving protocol v1
/// (heartbeat, alloc_job, job_state, status). Embeddable: <see cref="StartAsync"/> for tests and
/// daemons, <see cref="RunAsync"/> for the command line.
/// </summary>
public sealed partial class SchedulerHost : IAsyncDisposable
{
    private const long HeartbeatBodyLimit = 4 << 20;
    private const long SmallBodyLimit = 16 * 1024;

    private readonly WebApplication _app;
    private int _disposed;
    private readonly SchedulerState _state;
    private readonly IClientAuthenticator _clientAuth;
    private readonly ServerAuthenticator _serverAuth;
    private readonly ILogger _log;
    private readonly ITimer _pruneTimer;
    private readonly HttpClient _http;

    private SchedulerHost(WebApplication app, SchedulerState state, IClientAuthenticator clientAuth, ServerAuthenticator serverAuth, HttpClient http, TimeProvider time)
    {
        _app = app;
        _state = state;
        _clientAuth = clientAuth;
        _serverAuth = serverAuth;
        _http = http;
        _log = app.Logger;
        _pruneTimer = time.CreateTimer(_ => _state.Prune(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The URL the scheduler actually listens on (port 0 resolved).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    internal SchedulerState State => _state;

    /// <summary>Starts a scheduler; it serves until <see cref="DisposeAsync"/>.</summary>
    public static async Task<SchedulerHost> StartAsync(SchedulerConfig config, DistHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new DistHostOptions();
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var clientAuth = await ClientAuthenticatorFactory.CreateAsync(config.ClientAuth, http, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var app = DistWebHost.Build(config.PublicAddr, options);
            var host = new SchedulerHost(app, new SchedulerState(config, options.TimeProvider), clientAuth, new ServerAuthenticator(config.ServerAuth), http, options.TimeProvider);
            host.MapEndpoints();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            host.BaseUrl = DistWebHost.BoundUrl(app);
            Log.Listening(host._log, host.BaseUrl);
            return host;
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Runs a scheduler until <paramref name="cancellationToken"/> fires.</summary>
    public static Task RunAsync(SchedulerConfig config, CancellationToken cancellationToken)
        => RunAsync(config, null, cancellationToken);

    /// <summary>Runs a scheduler until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(SchedulerConfig config, DistHostOptions? options, CancellationToken cancellationToken)
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

    /// <summary>Stops serving; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _pruneTimer.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    private void MapEndpoints()
    {
        _app.MapPost(DistRoutes.SchedulerHeartbeat, HeartbeatAsync);
        _app.MapPost(DistRoutes.SchedulerAllocJob, AllocJobAsync);
        _app.MapPost(DistRoutes.SchedulerJobStatePattern, JobStateAsync);
        _app.MapGet(DistRoutes.SchedulerStatus, context => HttpJson.WriteAsync(context, 200, _state.Status(), DistJsonContext.Default.SchedulerStatus));
        DistWebHost.MapNotFound(_app);
    }

    private async Task HeartbeatAsync(HttpContext context)
    {
        var serverId = await _serverAuth.AuthenticateAsync(HttpJson.Bearer(context), SourceAddress(context)).ConfigureAwait(false);
        if (serverId is null)
        {
            Log.ServerAuthFailed(_log, context.Connection.RemoteIpAddress?.ToString() ?? "?");
            await HttpJson.ErrorAsync(context, 401, DistErrorCodes.Unauthorized, "server token missing or invalid").ConfigureAwait(false);
            return;
        }

        var request = await HttpJson.ReadAsync(context, DistJsonContext.Default.HeartbeatRequest, HeartbeatBodyLimit).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        if (request.ServerId != serverId)
        {
            await HttpJson.ErrorAsync(context, 401, DistErrorCodes.Unauthorized, $"token is for server {serverId}, heartbeat claims {request.ServerId}").ConfigureAwait(false);
            return;
        }

        var problem = Validate(request, out var key);
        if (problem is not null)
        {
            await HttpJson.ErrorAsync(context, 400, DistErrorCodes.BadRequest, problem).ConfigureAwait(false);
            return;
        }

        var canonical = request with { Toolchains = [.. request.Toolchains.Select(t => ToolchainId.TryParse(t, out var id) ? id.ToString() : t)] };
        var response = _state.Heartbeat(canonical, key!);
        if (response.IsNew)
        {
            Log.ServerRegistered(_log, request.ServerId, request.NumCpus, request.InstanceId);
        }

        await HttpJson.WriteAsync(context, 200, response, DistJsonContext.Default.HeartbeatResponse).ConfigureAwait(false);
    }

    private async Task AllocJobAsync(HttpContext context)
    {
        if (!await _clientAuth.IsAuthorizedAsync(HttpJson.Bearer(context), context.RequestAborted).ConfigureAwait(false))
        {
            Log.ClientAuthFailed(_log, context.Connection.RemoteIpAddress?.ToString() ?? "?");
            await HttpJson.ErrorAsync(context, 401, DistErrorCodes.Unauthorized, "client token missing or invalid").ConfigureAwait(false);
            return;
        }

        var request = await HttpJson.ReadAsync(context, DistJsonContext.Default.AllocJobRequest, SmallBodyLimit).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        if (!ToolchainId.TryParse(request.ToolchainId, out var toolchain))
        {
            await HttpJson.ErrorAsync(context, 400, DistErrorCodes.BadRequest, "toolchain_id must be 64 lowercase hex digits (BLAKE3), or blake3:/sha256: followed by them").ConfigureAwait(false);
            return;
        }

        var outcome = _state.Allocate(toolchain.ToString());
        await HttpJson.WriteAsync(context, 200, outcome.Response, DistJsonContext.Default.AllocJobResponse).ConfigureAwait(false);
    }

    private async Task JobStateAsync(HttpContext context)
    {
        var serverId = await _serverAuth.AuthenticateAsync(HttpJson.Bearer(context), SourceAddress(context)).ConfigureAwait(false);
        if (serverId is null)
        {
            await HttpJson.ErrorAsync(context, 401, DistErrorCodes.Unauthorized, "server token missing or invalid").ConfigureAwait(false);
            return;
        }

        if (!ulong.TryParse(context.Request.RouteValues["jobId"] as string, out var jobId))
        {
            await HttpJson.ErrorAsync(context, 400, DistErrorCodes.BadRequest, "job id must be an unsigned integer").ConfigureAwait(false);
            return;
        }

        var update = await HttpJson.ReadAsync(context, DistJsonContext.Default.JobStateUpdate, SmallBodyLimit).ConfigureAwait(false);
        if (update is null)
        {
            return;
        }

        await HttpJson.WriteAsync(context, 200, _state.UpdateJob(serverId, jobId, update.State), DistJsonContext.Default.JobStateResponse).ConfigureAwait(false);
    }

    private static string? Validate(HeartbeatRequest request, out byte[]? key)
    {
        key = Base64Url.TryDecode(request.JobKey);
        if (key is not { Length: JobTokenSigner.KeySize })
        {
            return "job_key must be 32 bytes in URL-safe base64";
        }

        if (request.NumCpus < 1 || request.MaxJobs < 1)
        {
            return "num_cpus and max_jobs must be at least 1";
        }

        if (string.IsNullOrEmpty(request.InstanceId) || request.InstanceId.Length > 128)
        {
            return "instance_id must be 1 to 128 characters";
        }

        return null;
    }

    private static System.Net.IPAddress? SourceAddress(HttpContext context)
    {
        // Behind a TLS reverse proxy (the documented setup), the proxy's X-Real-IP is the server's address.
        var real = context.Request.Headers["X-Real-IP"].ToString();
        return real.Length > 0 && System.Net.IPAddress.TryParse(real, out var address) ? address : context.Connection.RemoteIpAddress;
    }
}
