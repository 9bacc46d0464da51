namespace SharpCache.Dist.Protocol;

/// <summary>
/// The <c>error</c> codes of <see cref="ErrorResponse"/>. A client falls back to a local compile on
/// all of them; <see cref="Unauthorized"/> and <see cref="BadRequest"/> also mean its setup is wrong.
/// </summary>
public static class DistErrorCodes
{
    public const string Unauthorized = "unauthorized";
    public const string BadRequest = "bad_request";
    public const string TooLarge = "too_large";
    public const string NotFound = "not_found";
    public const string ToolchainMissing = "toolchain_missing";
    public const string ToolchainRejected = "toolchain_rejected";
    public const string ToolchainTooLarge = "toolchain_too_large";
    public const string InputsRejected = "inputs_rejected";
    public const string JobAlreadyRun = "job_already_run";
    public const string SandboxFailed = "sandbox_failed";
    public const string TimedOut = "timed_out";
    public const string Internal = "internal";
}
