namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>A cached run and the <c>sharpcache explain:</c> lines it wrote.</summary>
public sealed record ExplainedRun(ProcessResult Result, string Explain)
{
    public bool IsDirectHit => Explain.Contains(": " + DirectModeRuns.DirectHit, StringComparison.Ordinal);

    public bool IsPreprocessorHit => Explain.Contains(": " + DirectModeRuns.PreprocessorHit, StringComparison.Ordinal);

    public bool IsMiss => Explain.Contains(": miss", StringComparison.Ordinal);

    /// <summary>Fails unless the run succeeded and its explain output contains <paramref name="expected"/>.</summary>
    public ExplainedRun Expect(string expected, string because = "")
    {
        Assert.True(Result.ExitCode == 0, $"cached compile failed: {Result.Describe()}");
        Assert.True(Explain.Contains(expected, StringComparison.Ordinal), $"expected explain output containing '{expected}' {because}, got:\n{Explain}");
        return this;
    }

    public ExplainedRun ExpectNot(string unexpected, string because = "")
    {
        Assert.True(Result.ExitCode == 0, $"cached compile failed: {Result.Describe()}");
        Assert.False(Explain.Contains(unexpected, StringComparison.Ordinal), $"explain output must not contain '{unexpected}' {because}, got:\n{Explain}");
        return this;
    }
}
