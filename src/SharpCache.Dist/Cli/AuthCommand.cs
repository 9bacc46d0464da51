using SharpCache.Dist.Auth;
using SharpCache.Dist.Config;

namespace SharpCache.Dist.Cli;

/// <summary>
/// <c>sharpcache-dist auth …</c>: the secrets sccache-dist's operators make, in the same shapes
/// (URL-safe base64 without padding; HS256 JWT <c>{exp: 0, server_id}</c>).
/// </summary>
internal static class AuthCommand
{
    public const string Usage = """
        usage: sharpcache-dist auth generate-jwt-hs256-key
               sharpcache-dist auth generate-jwt-hs256-server-token --server <IP:PORT> (--secret-key <KEY> | --config <SCHEDULER CONFIG>)
               sharpcache-dist auth generate-shared-token [--bits <N>]   (N: multiple of 8, 64..4096; default 256)
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            return UsageError(stderr, "auth needs a subcommand");
        }

        var options = CommandLine.ParseOptions(args.AsSpan(1), out var error);
        if (options is null)
        {
            return UsageError(stderr, error!);
        }

        switch (args[0])
        {
            case "generate-jwt-hs256-key" when options.Count == 0:
                stdout.WriteLine(SharedTokens.NewHs256Key());
                return 0;
            case "generate-jwt-hs256-key":
                return UsageError(stderr, "generate-jwt-hs256-key takes no options");
            case "generate-shared-token":
                return SharedToken(options, stdout, stderr);
            case "generate-jwt-hs256-server-token":
                return ServerToken(options, stdout, stderr);
            default:
                return UsageError(stderr, $"unknown auth subcommand '{args[0]}'");
        }
    }

    private static int SharedToken(Dictionary<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        var bits = 256;
        foreach (var (name, value) in options)
        {
            if (name != "--bits")
            {
                return UsageError(stderr, $"unknown option {name}");
            }

            if (!int.TryParse(value, out bits) || bits % 8 != 0 || bits < 64 || bits > 4096)
            {
                return UsageError(stderr, $"--bits must be a multiple of 8 between 64 and 4096, not '{value}'");
            }
        }

        stdout.WriteLine(SharedTokens.NewSharedToken(bits));
        return 0;
    }

    private static int ServerToken(Dictionary<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        foreach (var name in options.Keys)
        {
            if (name is not ("--server" or "--secret-key" or "--config"))
            {
                return UsageError(stderr, $"unknown option {name}");
            }
        }

        if (!options.TryGetValue("--server", out var server) || !System.Net.IPEndPoint.TryParse(server, out var endPoint) || endPoint.Port == 0)
        {
            return UsageError(stderr, "--server <IP:PORT> is required (the build server's public_addr)");
        }

        var hasKey = options.TryGetValue("--secret-key", out var keyText);
        var hasConfig = options.TryGetValue("--config", out var configPath);
        if (hasKey == hasConfig)
        {
            return UsageError(stderr, "give exactly one of --secret-key <KEY> and --config <SCHEDULER CONFIG>");
        }

        byte[] key;
        if (hasKey)
        {
            if (Base64Url.TryDecode(keyText!) is not { Length: 32 } decoded)
            {
                return UsageError(stderr, "--secret-key must be 32 bytes in URL-safe base64 (from generate-jwt-hs256-key)");
            }

            key = decoded;
        }
        else
        {
            try
            {
                var config = SchedulerConfig.Load(configPath!);
                if (config.ServerAuth is not ServerAuthConfig.JwtHs256 jwt)
                {
                    stderr.WriteLine($"sharpcache-dist: {configPath}: server_auth type is not jwt_hs256, so there is no key to sign with");
                    return 2;
                }

                key = jwt.SecretKey;
            }
            catch (ConfigException e)
            {
                stderr.WriteLine($"sharpcache-dist: {e.Message}");
                return 2;
            }
        }

        stdout.WriteLine(ServerJwt.Create(endPoint.ToString(), key));
        return 0;
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"sharpcache-dist: {message}");
        stderr.WriteLine(Usage);
        return 2;
    }
}
