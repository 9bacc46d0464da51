namespace SharpCache.Config;

/// <summary>Names of <see cref="WriteErrorPolicy"/> values: <c>ignore</c>, <c>l0</c>, <c>all</c> (any case).</summary>
public static class WriteErrorPolicies
{
    public static bool TryParse(string text, out WriteErrorPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToLowerInvariant())
        {
            case "ignore": policy = WriteErrorPolicy.Ignore; return true;
            case "l0": policy = WriteErrorPolicy.L0; return true;
            case "all": policy = WriteErrorPolicy.All; return true;
            default: policy = WriteErrorPolicy.L0; return false;
        }
    }
}
