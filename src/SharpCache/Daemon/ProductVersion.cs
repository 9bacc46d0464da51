namespace SharpCache.Daemon;

/// <summary>The version reported by <c>-V</c> and in the stats (<c>version</c>). Keep in step with Directory.Build.props.</summary>
internal static class ProductVersion
{
    public const string Value = "0.1.0";
}
