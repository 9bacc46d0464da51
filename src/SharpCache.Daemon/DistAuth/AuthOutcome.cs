namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>How a browser sign-in ended: an access token (and its lifetime when the provider said), or a one-line error.</summary>
internal sealed record AuthOutcome(string? Token, string? Error, TimeSpan? ExpiresIn)
{
    public static AuthOutcome Failed(string error) => new(null, error, null);
}
