using SharpCache.Admin;
using SharpCache.Client;
using SharpCache.Configuration;
using SharpCache.Daemon;

namespace SharpCache;

/// <summary>
/// Entry point. The table of contents: daemon mode, masquerade mode, admin verbs, compile.
/// Nothing here may cost start-up time on the compile path.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = SharpCacheOptions.FromEnvironment();

        // Masquerade: invoked through a symlink named after a compiler (gcc, cc, clang++...).
        var invokedAs = Path.GetFileName(Environment.GetCommandLineArgs()[0]);
        if (!IsOwnName(invokedAs))
        {
            return CompileCommand.RunMasquerading(invokedAs, args, options);
        }

        if (Environment.GetEnvironmentVariable("SCCACHE_START_SERVER") == "1" && args.Length == 0)
        {
            return DaemonHost.Run(options);
        }

        if (args.Length == 0)
        {
            AdminCommands.PrintUsage(Console.Error);
            return 2;
        }

        if (args[0] == "--explain")
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("sharpcache: error: --explain needs a compiler command line: sharpcache --explain <compiler> <args>");
                return 2;
            }

            return CompileCommand.Run(args[1..], options with { Explain = options.Explain ?? "stderr" });
        }

        if (args[0].StartsWith('-'))
        {
            return AdminCommands.Run(args, options);
        }

        return CompileCommand.Run(args, options);
    }

    private static bool IsOwnName(string name) =>
        name.StartsWith("sharpcache", StringComparison.Ordinal) || name.StartsWith("sccache", StringComparison.Ordinal);
}
