namespace SharpCache.Dist.Sandbox;

/// <summary>What became of one sandboxed job. Only <see cref="Completed"/> is a compile result; the others mean "compile locally".</summary>
internal abstract record SandboxOutcome
{
    private SandboxOutcome()
    {
    }

    /// <summary>The compiler ran; its exit code (non-zero is a genuine compile error) and captured streams.</summary>
    public sealed record Completed(int ExitCode, CapturedStream Stdout, CapturedStream Stderr) : SandboxOutcome;

    /// <summary>The sandbox could not run the compiler (setup failure, missing executable, layout conflict).</summary>
    public sealed record Failed(string Reason) : SandboxOutcome;

    /// <summary>The job ran past its wall-time limit and was killed.</summary>
    public sealed record TimedOut(TimeSpan Limit) : SandboxOutcome;
}
