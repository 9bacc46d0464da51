using SharpCache.Core.Processes;

namespace SharpCache.Client;

/// <summary>Result of running the preprocessor for the result key.</summary>
/// <param name="ExitCode">The preprocessor's exit code; the digest is meaningless unless 0.</param>
/// <param name="Digest">BLAKE3 of the basedir-normalised text.</param>
/// <param name="Stderr">What the preprocessor printed (with <c>-v</c>: the include search list).</param>
/// <param name="BasedirOutsideLinemarkers">The text names the base directory outside linemarkers (e.g. a <c>__FILE__</c>).</param>
internal sealed record PreprocessorRun(int ExitCode, string Digest, byte[] Stderr, bool BasedirOutsideLinemarkers)
{
    /// <summary>
    /// Runs <c>compiler PreprocessArguments</c> (plus <paramref name="extraArguments"/> before the
    /// input), streaming stdout into the hasher and, when given, into <paramref name="observer"/>. With
    /// <paramref name="cacheDirectory"/>, gcc's compiler proper may run without the driver (<see cref="DirectPreprocessor"/>).
    /// <paramref name="onTextEnd"/> runs when the text is complete, with its digest, before the preprocessor's exit is waited
    /// for (its status decides whether the text counts: the callback must not act on it as if it did).
    /// </summary>
    public static PreprocessorRun Execute(CompileContext context, IProcessRunner runner, IReadOnlyList<string> extraArguments, Action<ReadOnlySpan<byte>>? observer, string? cacheDirectory = null, Action<string>? onTextEnd = null)
    {
        var arguments = context.Compilation.PreprocessArguments ?? throw new InvalidOperationException("language is not preprocessed");
        if (extraArguments.Count > 0)
        {
            var combined = new List<string>(arguments.Count + extraArguments.Count);
            combined.AddRange(extraArguments);
            combined.AddRange(arguments);
            arguments = combined;
        }

        // gcc's compiler proper straight away when its command is known (DirectPreprocessor), else the driver; a command
        // learnt meanwhile is checked against the driver's output.
        var resolution = cacheDirectory is null ? default : DirectPreprocessor.Resolve(context, runner, arguments, cacheDirectory);
        var (executable, run) = resolution.Command ?? (context.Compiler.ExecutablePath, arguments);
        var check = resolution.Pending is null ? null : DirectPreprocessor.Digest();
        using var hasher = new PreprocessedTextHasher(context.Mapper);
        string? digest = null;
        var result = runner.RunStreaming(executable, run, context.WorkingDirectory, chunk =>
        {
            hasher.Feed(chunk);
            check?.Append(chunk);
            observer?.Invoke(chunk);
        }, onTextEnd is null ? null : () =>
        {
            digest = hasher.Finish();
            onTextEnd(digest);
        });
        if (check is not null)
        {
            resolution.Pending!.Conclude(result.ExitCode, check.GetCurrentHash(), result.Stderr);
        }

        return new PreprocessorRun(result.ExitCode, digest ?? hasher.Finish(), result.Stderr, hasher.BasedirOutsideLinemarkers);
    }
}
