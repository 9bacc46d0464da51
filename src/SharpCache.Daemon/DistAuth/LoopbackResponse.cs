namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>
/// The listener's answer to one request. <see cref="Finished"/> ends the wait once the answer is sent (the sign-in
/// succeeded or failed for good).
/// </summary>
internal sealed record LoopbackResponse(int Status, string ContentType, string Body, bool Finished = false, string? Location = null)
{
    public static LoopbackResponse NotFound { get; } = new(404, "text/plain; charset=utf-8", "not found\n");

    public static LoopbackResponse Html(int status, string body, bool finished = false) => new(status, "text/html; charset=utf-8", body, finished);

    public static LoopbackResponse Redirect(string location) => new(302, "text/plain; charset=utf-8", "", Location: location);
}
