namespace SharpCache.Config.Parsing;

/// <summary>The <c>[dist]</c> part of the client config.</summary>
internal static partial class FileConfigReader
{
    private static DistConfig ReadDist(TableReader t, ConfigDefaults defaults)
    {
        var urlText = t.String("scheduler_url");
        string? url = null;
        if (urlText is not null)
        {
            url = SchedulerUrl.Parse(urlText, out var problem, out var warning);
            if (problem is not null)
            {
                t.Error("scheduler_url", problem);
            }

            if (warning is not null)
            {
                t.Errors.Warn(t.KeyPath("scheduler_url"), warning);
            }
        }

        var cacheDir = t.FullPath("cache_dir", defaults.Home);
        var auth = t.Table("auth");
        var config = new DistConfig
        {
            SchedulerAddress = url,
            CacheDir = cacheDir ?? defaults.DistCacheDirectory,
            ToolchainCacheSize = t.Size("toolchain_cache_size") ?? SizeValue.TenGiB,
            RewriteIncludesOnly = t.Bool("rewrite_includes_only") ?? false,
            Auth = auth is null ? new DistTokenAuth(DistAuthConfig.InsecureClientToken) : ReadAuth(auth),
            Toolchains = ReadToolchains(t),
        };
        auth?.RejectUnknown();
        return config;
    }

    private static DistAuthConfig ReadAuth(TableReader t)
    {
        var fallback = new DistTokenAuth(DistAuthConfig.InsecureClientToken);
        var type = t.String("type", required: true);
        switch (type)
        {
            case null:
                // Without a type the other keys cannot be judged; the missing type is the one error.
                t.AcceptRest();
                return fallback;
            case "token":
                return t.String("token", required: true) is { } token ? new DistTokenAuth(token) : fallback;
            case "oauth2_code_grant_pkce":
                var pkceClient = t.String("client_id", required: true);
                var pkceAuth = t.String("auth_url", required: true);
                var pkceToken = t.String("token_url", required: true);
                return pkceClient is null || pkceAuth is null || pkceToken is null
                    ? fallback
                    : new DistOAuth2CodeGrantPkceAuth(pkceClient, pkceAuth, pkceToken);
            case "oauth2_implicit":
                var implicitClient = t.String("client_id", required: true);
                var implicitAuth = t.String("auth_url", required: true);
                return implicitClient is null || implicitAuth is null ? fallback : new DistOAuth2ImplicitAuth(implicitClient, implicitAuth);
            case "mozilla":
                return DistOAuth2CodeGrantPkceAuth.Mozilla;
            default:
                t.Error("type", $"unknown auth type '{type}'; expected token, oauth2_code_grant_pkce, oauth2_implicit or mozilla");
                t.AcceptRest();
                return fallback;
        }
    }

    private static List<DistToolchainConfig> ReadToolchains(TableReader dist)
    {
        var result = new List<DistToolchainConfig>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in dist.TableArray("toolchains") ?? [])
        {
            var toolchain = ReadToolchain(t);
            t.RejectUnknown();
            if (toolchain is null)
            {
                continue;
            }

            if (seen.TryGetValue(toolchain.CompilerExecutable, out var first))
            {
                t.Error("compiler_executable", $"'{toolchain.CompilerExecutable}' already has a toolchain entry ({first}); give each compiler one entry");
                continue;
            }

            seen.Add(toolchain.CompilerExecutable, $"{t.Path}, type {toolchain.Type}");
            result.Add(toolchain);
        }

        return result;
    }

    private static DistToolchainConfig? ReadToolchain(TableReader t)
    {
        var type = t.String("type", required: true);
        switch (type)
        {
            case null:
                t.AcceptRest();
                return null;
            case "no_dist":
                return t.String("compiler_executable", required: true) is { } exe ? new NoDistToolchain(exe) : null;
            case "path_override":
                var compiler = t.String("compiler_executable", required: true);
                var archive = t.String("archive", required: true);
                var inner = t.String("archive_compiler_executable", required: true);
                return compiler is null || archive is null || inner is null ? null : new PathOverrideToolchain(compiler, archive, inner);
            default:
                t.Error("type", $"unknown toolchain type '{type}'; expected path_override or no_dist");
                t.AcceptRest();
                return null;
        }
    }
}
