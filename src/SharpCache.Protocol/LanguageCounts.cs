namespace SharpCache.Protocol;

/// <summary>
/// sccache's <c>PerLanguageCount</c>: counts per language category (<c>C/C++</c>) and per
/// language + compiler (<c>c [gcc]</c>) for the advanced view.
/// </summary>
public sealed record LanguageCounts
{
    public static LanguageCounts Empty { get; } = new();

    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> AdvCounts { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Sum over all languages.</summary>
    public long Total => Counts.Values.Sum();
}
