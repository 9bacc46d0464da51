using SharpCache.Configuration;

namespace SharpCache.Admin;

/// <summary>sccache-compatible admin verbs: -s, -z, --start-server, --stop-server, ...</summary>
internal static class AdminCommands
{
    public static int Run(string[] args, SharpCacheOptions options)
    {
        _ = args;
        _ = options;
        return 2;
    }

    public static void PrintUsage(TextWriter writer) => writer.WriteLine("usage: sharpcache [options] | <compiler> <args>");
}
