namespace SharpCache.Core.Direct;

/// <summary>One way the translation unit was seen: the files it read, the probes it needs absent, and the result key it produced.</summary>
internal sealed record ManifestEntry(int[] FileIndices, int[] ProbeIndices, string ResultKey);
