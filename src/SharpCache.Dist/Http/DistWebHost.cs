using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Http;

/// <summary>
/// The Kestrel setup both roles share: one listen address, a small default body limit (endpoints
/// raise it where they stream), console logging at <see cref="DistHostOptions.LogLevel"/>, and a
/// JSON 404 for unknown routes.
/// </summary>
internal static partial class DistWebHost
{
    public const long DefaultBodyLimit = 64 * 1024;

    public static WebApplication Build(IPEndPoint bind, DistHostOptions options)
    {
        // No appsettings.json and no watcher: the default content root is the working directory, which the
        // host would watch recursively with inotify (measured: started in /usr, 18,445 watches and 3 s of start-up).
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        if (options.LoggerProvider is { } provider)
        {
            builder.Logging.AddProvider(provider);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(options.TimeProvider);
        if (options.InlineScheduling)
        {
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }

        if (options.LargeReceiveBlocks)
        {
            builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = DefaultBodyLimit;
            kestrel.Listen(bind);
        });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                // A bug or an unrecoverable local IO error (disk full): answer 500 with a reason, keep serving.
                UnhandledError(app.Logger, e, context.Request.Method, context.Request.Path);
                await HttpJson.ErrorAsync(context, StatusCodes.Status500InternalServerError, DistErrorCodes.Internal, e.Message).ConfigureAwait(false);
            }
        });
        return app;
    }

    public static void MapNotFound(WebApplication app)
        => app.MapFallback(context => HttpJson.ErrorAsync(context, StatusCodes.Status404NotFound, DistErrorCodes.NotFound, $"no endpoint {context.Request.Method} {context.Request.Path}"));

    /// <summary>The first address Kestrel actually bound (resolves port 0).</summary>
    public static Uri BoundUrl(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var first = addresses?.Addresses.FirstOrDefault() ?? throw new InvalidOperationException("the server bound no address");
        return new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    [LoggerMessage(1, LogLevel.Error, "Unhandled error serving {Method} {Path}")]
    private static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);
}
