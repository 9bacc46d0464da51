namespace SharpCache.Admin;

/// <summary>A parsed admin command line: a verb and its modifiers, or an error message.</summary>
internal sealed record AdminInvocation
{
    public AdminVerb? Verb { get; init; }

    public StatsFormat Format { get; init; } = StatsFormat.Text;

    /// <summary>Set when the command line is invalid; the verb is then meaningless.</summary>
    public string? Error { get; init; }
}
