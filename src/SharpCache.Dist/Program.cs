using SharpCache.Dist.Cli;

// sharpcache-dist: scheduler | server | auth (sccache-dist's command line).
const string Usage = """
    sharpcache-dist: the SharpCache distributed-compilation scheduler and build server.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(Usage);
    Console.Out.WriteLine(RoleCommand.Usage);
    Console.Out.WriteLine(AuthCommand.Usage);
    return args.Length == 0 ? 2 : 0;
}

return args[0] switch
{
    "--version" or "-V" => PrintVersion(),
    "scheduler" or "server" => await RoleCommand.RunAsync(args[0], args[1..], Console.Error).ConfigureAwait(false),
    "auth" => AuthCommand.Run(args[1..], Console.Out, Console.Error),
    _ => UnknownCommand(args[0]),
};

static int PrintVersion()
{
    Console.Out.WriteLine($"sharpcache-dist {typeof(RoleCommand).Assembly.GetName().Version}");
    return 0;
}

static int UnknownCommand(string command)
{
    Console.Error.WriteLine($"sharpcache-dist: unknown command '{command}'");
    Console.Error.WriteLine(RoleCommand.Usage);
    Console.Error.WriteLine(AuthCommand.Usage);
    return 2;
}
