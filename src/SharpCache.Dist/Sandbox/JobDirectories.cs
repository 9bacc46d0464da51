namespace SharpCache.Dist.Sandbox;

/// <summary>Job directories under <c>build_dir/builds</c>.</summary>
internal static class JobDirectories
{
    /// <summary>Removes a job directory and everything in it; what cannot be removed now goes with the next start's wipe of <c>build_dir</c>.</summary>
    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // build_dir is wiped at the next start.
        }
    }
}
