namespace SharpCache.Client;

/// <summary>Writes a compile's captured stdout and stderr to ours, byte for byte.</summary>
internal static class OutputReplay
{
    public static void Write(ReadOnlySpan<byte> stdout, ReadOnlySpan<byte> stderr)
    {
        if (!stdout.IsEmpty)
        {
            using var output = Console.OpenStandardOutput();
            output.Write(stdout);
            output.Flush();
        }

        if (!stderr.IsEmpty)
        {
            using var error = Console.OpenStandardError();
            error.Write(stderr);
            error.Flush();
        }
    }
}
