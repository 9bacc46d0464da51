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

    /// <summary>
    /// Starts what a compile with this compiler needs before its inputs exist (the toolchain, a job on a build server),
    /// for the <see cref="CompileAsync(DistCompileRequest, IDistPreparation?, CancellationToken)"/> that follows on the
    /// same connection; null when there is nothing to start. Never throws. With <paramref name="head"/> (the request but its
    /// inputs, <see cref="DistMessageCodec.WritePrepare"/>), the job may be sent to its build server at once, its text
    /// following as it comes (<see cref="IDistPreparation.AppendText"/>).
    /// </summary>
    IDistPreparation? Prepare(string compilerPath, string invokedAs, DistCompileRequest? head, CancellationToken cancellationToken) => null;

    /// <summary>A compile that may use what <paramref name="prepared"/> started (it is consumed either way).</summary>
    Task<DistCompileResult> CompileAsync(DistCompileRequest request, IDistPreparation? prepared, CancellationToken cancellationToken)
    {
        prepared?.Release();
        return CompileAsync(request, cancellationToken);
    }
}

/// <summary>What <see cref="IDistCompiler.Prepare"/> started; released when its connection ends without using it.</summary>
internal interface IDistPreparation
{
    /// <summary>Gives back what was not used (a job goes to the next compile of its toolchain, one already sent is given up); idempotent.</summary>
    void Release();

    /// <summary>
    /// A piece of the compile's preprocessed text, in order (<see cref="MessageType.DistText"/>); the memory stays unchanged
    /// until the compile ends or the preparation is released.
    /// </summary>
    void AppendText(ReadOnlyMemory<byte> text)
    {
    }

    /// <summary>
    /// The text given so far is whole, and <paramref name="inputs"/> are the compile's other inputs
    /// (<see cref="MessageType.DistTextEnd"/>): a job sent ahead may end now, before the compile comes.
    /// </summary>
    void EndText(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs)
    {
    }
}
