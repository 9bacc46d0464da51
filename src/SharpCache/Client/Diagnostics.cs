namespace SharpCache.Client;

/// <summary>
/// Client-side diagnostics: silent unless <c>SCCACHE_LOG</c> is set, because anything the wrapper
/// prints lands in the user's compiler output.
/// </summary>
internal static class Diagnostics
{
    private static readonly bool Enabled = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SCCACHE_LOG"));

    public static void Write(string message)
    {
        if (Enabled)
        {
            Console.Error.WriteLine("sharpcache: " + message);
        }
    }
}
