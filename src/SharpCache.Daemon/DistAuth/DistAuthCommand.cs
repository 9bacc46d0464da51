using System.Globalization;
using SharpCache.Config;
using SharpCache.Configuration;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>
/// <c>sharpcache --dist-auth</c>, run as <c>sharpcache-daemon --dist-auth</c>: the browser sign-in for <c>[dist.auth]</c>
/// (sccache's <c>--dist-auth</c>). For the OAuth2 types it listens on the first free loopback redirect port, prints the
/// authorize URL to stderr and opens it in the browser, waits (5 minutes, or <c>SHARPCACHE_DIST_AUTH_TIMEOUT</c>
/// seconds) for the provider's redirect, and stores the access token in the cached config under the <c>auth_url</c>
/// (other entries kept; the file replaced atomically). <c>type = "token"</c> needs no sign-in. Exit 0 on success; on any
/// failure one <c>sharpcache: error:</c> line, exit 2, and the cached config untouched.
/// </summary>
internal static class DistAuthCommand
{
    public const string TimeoutVariable = "SHARPCACHE_DIST_AUTH_TIMEOUT";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinTokenValidity = TimeSpan.FromDays(2);

    public static int Run(SharpCacheOptions options, TextWriter stdout, TextWriter stderr) =>
        Run(options, Environment.GetEnvironmentVariable, stdout, stderr);

    internal static int Run(SharpCacheOptions options, Func<string, string?> env, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        stderr = TextWriter.Synchronized(stderr);
        var dist = options.Dist;
        switch (dist?.Auth)
        {
            case null or DistTokenAuth when dist?.SchedulerAddress is null:
                return Fail(stderr, $"no [dist] section in {options.ConfigFilePath ?? "the config file"}: there is nothing to sign in to");
            case DistTokenAuth:
                stderr.WriteLine("sharpcache: [dist.auth] type = \"token\": no browser sign-in is needed");
                return 0;
            case DistOAuth2CodeGrantPkceAuth or DistOAuth2ImplicitAuth:
                return SignIn(dist.Auth, env, stdout, stderr).GetAwaiter().GetResult();
            default:
                return Fail(stderr, $"[dist.auth] type \"{dist.Auth.Type}\" has no browser sign-in");
        }
    }

    private static async Task<int> SignIn(DistAuthConfig auth, Func<string, string?> env, TextWriter stdout, TextWriter stderr)
    {
        var (authUrl, tokenUrl) = auth switch
        {
            DistOAuth2CodeGrantPkceAuth pkce => (pkce.AuthUrl, pkce.TokenUrl),
            DistOAuth2ImplicitAuth implicitFlow => (implicitFlow.AuthUrl, null),
            _ => throw new ArgumentOutOfRangeException(nameof(auth)),
        };
        if (!IsHttpUrl(authUrl, out _))
        {
            return Fail(stderr, $"[dist.auth] auth_url '{authUrl}' is not an http(s) URL");
        }

        Uri? tokenUri = null;
        if (tokenUrl is not null && !IsHttpUrl(tokenUrl, out tokenUri))
        {
            return Fail(stderr, $"[dist.auth] token_url '{tokenUrl}' is not an http(s) URL");
        }

        var cachedPath = ConfigPaths.CachedConfigFile(env, File.Exists);
        var cached = CachedConfigStore.Load(cachedPath, out var errors);
        if (errors.Count > 0)
        {
            // Writing would drop what the broken file holds: leave it for the user to fix.
            return Fail(stderr, $"cannot read the cached config {cachedPath}: {errors[0]}");
        }

        var timeout = Timeout(env, stderr);
        using var listener = LoopbackListener.TryStart(LoopbackListener.Ports, out var problem);
        if (listener is null)
        {
            return Fail(stderr, problem!);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var state = Pkce.NewState();
        BrowserFlow flow = auth switch
        {
            DistOAuth2CodeGrantPkceAuth pkce => new PkceFlow(pkce.ClientId, authUrl, tokenUri!, listener.RedirectUri, state, http),
            _ => new ImplicitFlow(((DistOAuth2ImplicitAuth)auth).ClientId, authUrl, listener.RedirectUri, state),
        };

        stderr.WriteLine("sharpcache: to sign in for distributed compilation, open this URL in a browser:");
        stderr.WriteLine(flow.AuthorizeUrl);
        stderr.WriteLine($"sharpcache: (or {listener.StartUrl}; waiting {timeout.TotalSeconds:0} s for the browser)");
        if (!BrowserLauncher.TryOpen(flow.AuthorizeUrl, env, stderr))
        {
            stderr.WriteLine("sharpcache: no browser to open ($BROWSER unset, no xdg-open): open the URL above yourself");
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await listener.ServeAsync(flow.HandleAsync, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Fail(stderr, $"no sign-in came back to {listener.RedirectUri} within {timeout.TotalSeconds:0} s");
        }

        var outcome = flow.Outcome!;
        if (outcome.Error is not null)
        {
            return Fail(stderr, outcome.Error);
        }

        if (outcome.ExpiresIn is { } lifetime && lifetime < MinTokenValidity)
        {
            stderr.WriteLine($"sharpcache: warning: the token expires in under two days ({lifetime.TotalHours:0.#} h): run --dist-auth again then");
        }

        try
        {
            CachedConfigStore.Save(cachedPath, cached.WithToken(authUrl, outcome.Token!));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, $"cannot write the cached config {cachedPath}: {e.Message}");
        }

        stdout.WriteLine($"sharpcache: signed in; the token for {authUrl} is stored in {cachedPath}");
        return 0;
    }

    private static TimeSpan Timeout(Func<string, string?> env, TextWriter stderr)
    {
        var text = env(TimeoutVariable);
        if (string.IsNullOrEmpty(text))
        {
            return DefaultTimeout;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 86400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        stderr.WriteLine($"sharpcache: warning: {TimeoutVariable}={text} is not a number of seconds (0 < s <= 86400); waiting {DefaultTimeout.TotalSeconds:0} s");
        return DefaultTimeout;
    }

    private static bool IsHttpUrl(string text, out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("sharpcache: error: " + message);
        return 2;
    }
}
