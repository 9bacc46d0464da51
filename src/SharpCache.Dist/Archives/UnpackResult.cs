namespace SharpCache.Dist.Archives;

/// <summary>Outcome of <see cref="SafeTarExtractor.ExtractAsync"/>: either counts or an <see cref="UnpackError"/>.</summary>
public sealed record UnpackResult(long Bytes, int Entries, UnpackError? Error)
{
    public bool Succeeded => Error is null;
}
