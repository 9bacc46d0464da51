namespace SharpCache.Client;

/// <summary>SharpCache's own on/off environment variables (<c>SHARPCACHE_*</c>): on unless set to 0, false, no or off.</summary>
internal static class Switches
{
    public static bool IsOff(string variable) => Environment.GetEnvironmentVariable(variable) is "0" or "false" or "no" or "off";
}
