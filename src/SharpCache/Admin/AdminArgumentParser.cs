namespace SharpCache.Admin;

/// <summary>
/// sccache's admin flags: exactly one verb, plus <c>--stats-format text|json</c> (also
/// <c>--stats-format=json</c>) anywhere on the line.
/// </summary>
internal static class AdminArgumentParser
{
    public static AdminInvocation Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        AdminVerb? verb = null;
        var format = StatsFormat.Text;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? formatText = null;
            if (arg == "--stats-format")
            {
                if (i + 1 >= args.Count)
                {
                    return Fail("--stats-format needs a value (text or json)");
                }

                formatText = args[++i];
            }
            else if (arg.StartsWith("--stats-format=", StringComparison.Ordinal))
            {
                formatText = arg["--stats-format=".Length..];
            }

            if (formatText is not null)
            {
                switch (formatText)
                {
                    case "text": format = StatsFormat.Text; break;
                    case "json": format = StatsFormat.Json; break;
                    default: return Fail("invalid value '" + formatText + "' for --stats-format (possible values: text, json)");
                }

                continue;
            }

            AdminVerb? next = arg switch
            {
                "-s" or "--show-stats" => AdminVerb.ShowStats,
                "--show-adv-stats" => AdminVerb.ShowAdvStats,
                "-z" or "--zero-stats" => AdminVerb.ZeroStats,
                "--start-server" => AdminVerb.StartServer,
                "--stop-server" => AdminVerb.StopServer,
                "--dist-status" => AdminVerb.DistStatus,
                "--dist-auth" => AdminVerb.DistAuth,
                "--package-toolchain" => AdminVerb.PackageToolchain,
                "-V" or "--version" => AdminVerb.Version,
                "-h" or "--help" => AdminVerb.Help,
                _ => null,
            };
            if (next is null)
            {
                return Fail("unknown option '" + arg + "'");
            }

            if (next == AdminVerb.PackageToolchain)
            {
                if (i + 2 >= args.Count)
                {
                    return Fail("--package-toolchain needs <EXE> <OUT>");
                }

                i += 2;
            }

            if (verb is not null && verb != next)
            {
                return Fail("'" + arg + "' cannot be used with another action");
            }

            verb = next;
        }

        return verb is null
            ? Fail("no action given (for example --show-stats)")
            : new AdminInvocation { Verb = verb, Format = format };
    }

    private static AdminInvocation Fail(string message) => new() { Error = message };
}
