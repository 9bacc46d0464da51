namespace SharpCache.Core.Direct;

/// <summary>A path that did not exist (as a file) when the entry was recorded and must still not exist for it to match.</summary>
internal readonly record struct ManifestProbe(int PathIndex, int DirectoryIndex);
