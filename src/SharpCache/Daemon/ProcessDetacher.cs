namespace SharpCache.Daemon;

/// <summary>
/// Cuts an auto-started daemon loose from the build that started it: a new session (no
/// controlling terminal, not in make's process group, so Ctrl-C on the build does not kill it)
/// and stdio pointing at /dev/null or the <c>SCCACHE_ERROR_LOG</c> file, so the daemon never
/// holds a pipe that a build tool is reading until EOF.
/// </summary>
internal static class ProcessDetacher
{
    private const int UserReadWrite = 0x180; // 0600

    public static void Detach(string? errorLogPath)
    {
        // Fails only if we already lead a process group (started by hand from a shell script
        // with job control); then there is nothing to detach from.
        _ = NativeMethods.SetSid();

        var input = NativeMethods.Open("/dev/null", NativeMethods.ORdOnly | NativeMethods.OCloExec, 0);
        var output = -1;
        if (!string.IsNullOrEmpty(errorLogPath))
        {
            output = NativeMethods.Open(errorLogPath, NativeMethods.OWrOnly | NativeMethods.OCreat | NativeMethods.OAppend | NativeMethods.OCloExec, UserReadWrite);
        }

        if (output < 0)
        {
            output = NativeMethods.Open("/dev/null", NativeMethods.OWrOnly | NativeMethods.OCloExec, 0);
        }

        if (input >= 0)
        {
            _ = NativeMethods.Dup2(input, 0);
            _ = NativeMethods.Close(input);
        }

        if (output >= 0)
        {
            _ = NativeMethods.Dup2(output, 1);
            _ = NativeMethods.Dup2(output, 2);
            _ = NativeMethods.Close(output);
        }
    }
}
