using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace SharpCache.TestServers;

/// <summary>
/// A real OpenID provider: the npm package oidc-provider (installed by <c>scripts/deps/oidc.sh</c> into the checkout's
/// <c>.tools/oidc</c>, or <c>SHARPCACHE_OIDC_NODE_MODULES</c>) run by <c>oidc/provider.mjs</c> on 127.0.0.1 with a free
/// port. Issuer <see cref="Issuer"/>; one public client <see cref="ClientId"/> (PKCE, no secret) whose redirect URIs are
/// sccache's loopback ones; access tokens for <see cref="Audience"/> are RS256 JWTs checkable through
/// <see cref="JwksUrl"/>; the development login and consent pages accept any login. <see cref="BrowserScript"/> is a
/// scripted browser (node) that signs in through those pages, for <c>$BROWSER</c>. Ready once discovery answers.
/// </summary>
public sealed class OidcProviderServer : ServerProcess
{
    /// <summary>The provider's only client.</summary>
    public const string ClientId = "sharpcache";

    private const string SolutionFile = "SharpCache.slnx";

    private readonly string _node;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private OidcProviderServer(string node, string audience)
        : base("oidc-provider")
    {
        _node = node;
        Audience = audience;
    }

    /// <summary>The resource the access tokens are for (their <c>aud</c>).</summary>
    public string Audience { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>: the tokens' <c>iss</c>.</summary>
    public string Issuer => $"http://{Host}:{Port}";

    /// <summary>The authorization endpoint.</summary>
    public string AuthorizeUrl => Issuer + "/auth";

    /// <summary>The token endpoint.</summary>
    public string TokenUrl => Issuer + "/token";

    /// <summary>The provider's signing keys.</summary>
    public string JwksUrl => Issuer + "/jwks";

    /// <summary><c>oidc/browser.mjs</c>: run as <c>node BrowserScript URL</c>; <c>BROWSER_MODE</c> = login (default), abort, wrong-state.</summary>
    public static string BrowserScript => Path.Combine(RepositoryRoot(), "tests", "SharpCache.TestServers", "oidc", "browser.mjs");

    /// <summary><c>node BrowserScript</c>, the value for <c>$BROWSER</c>.</summary>
    public static string BrowserCommand => $"{ToolLocator.Require("node")} {BrowserScript}";

    public static async Task<OidcProviderServer> StartAsync(string audience = "urn:sharpcache:scheduler", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var node = ToolLocator.Require("node");
        var modules = NodeModules();
        var server = new OidcProviderServer(node, audience);
        try
        {
            // ES modules resolve packages from the script's folder: the script and a link to node_modules side by side.
            File.Copy(Path.Combine(RepositoryRoot(), "tests", "SharpCache.TestServers", "oidc", "provider.mjs"), Path.Combine(server.TempDirectory, "provider.mjs"));
            File.CreateSymbolicLink(Path.Combine(server.TempDirectory, "node_modules"), modules);
            await server.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(_node);
        info.ArgumentList.Add("provider.mjs");
        info.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(Audience);
        return info;
    }

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(Issuer + "/.well-known/openid-configuration"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string NodeModules()
    {
        var overridden = Environment.GetEnvironmentVariable("SHARPCACHE_OIDC_NODE_MODULES");
        var modules = string.IsNullOrWhiteSpace(overridden) ? Path.Combine(RepositoryRoot(), ".tools", "oidc", "node_modules") : overridden;
        return File.Exists(Path.Combine(modules, "oidc-provider", "package.json"))
            ? modules
            : throw new ServerUnavailableException($"oidc-provider is not installed in {modules}: run scripts/deps/oidc.sh (or scripts/test.sh), or set SHARPCACHE_OIDC_NODE_MODULES");
    }

    /// <summary>The folder holding <c>SharpCache.slnx</c>: above the test binaries, the working directory, or the <c>SharpCacheRepoRoot</c> a test project stamps.</summary>
    private static string RepositoryRoot()
    {
        var starts = new List<string> { AppContext.BaseDirectory, Environment.CurrentDirectory };
        starts.AddRange(AppDomain.CurrentDomain.GetAssemblies()
            .SelectMany(a => a.GetCustomAttributes<AssemblyMetadataAttribute>())
            .Where(m => m.Key == "SharpCacheRepoRoot" && !string.IsNullOrEmpty(m.Value))
            .Select(m => m.Value!));
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new ServerUnavailableException("cannot find the repository root (the folder holding SharpCache.slnx) for the oidc-provider scripts");
    }
}
