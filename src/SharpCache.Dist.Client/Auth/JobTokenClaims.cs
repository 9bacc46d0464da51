namespace SharpCache.Dist.Auth;

/// <summary>
/// What a job token grants: running job <see cref="JobId"/> with toolchain <see cref="ToolchainId"/>
/// on server <see cref="ServerId"/> (and uploading that toolchain there) until <see cref="ExpiresAtUnixMs"/>.
/// </summary>
public sealed record JobTokenClaims(ulong JobId, string ServerId, string ToolchainId, long ExpiresAtUnixMs);
