using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>
/// The daemon's client of the build cluster (<c>[dist]</c>): toolchain packaging and upload,
/// <c>alloc_job</c>, <c>run_job</c>. Only <c>sharpcache-daemon</c> has one. Never throws: every
/// failure is a <see cref="DistCompileStatus.Failed"/> result with its reason, so the client compiles locally.
/// </summary>
internal interface IDistCompiler : IAsyncDisposable
{
    Task<DistCompileResult> CompileAsync(DistCompileRequest request, CancellationToken cancellationToken);
}
