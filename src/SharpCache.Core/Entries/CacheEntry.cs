namespace SharpCache.Core.Entries;

/// <summary>
/// What a successful compile produced: named output files plus the compiler's stdout and stderr.
/// Only exit-code-0 compiles are stored, so there is no exit code field.
/// </summary>
public sealed record CacheEntry
{
    public required IReadOnlyList<EntryFile> Files { get; init; }

    public ReadOnlyMemory<byte> Stdout { get; init; }

    public ReadOnlyMemory<byte> Stderr { get; init; }
}
