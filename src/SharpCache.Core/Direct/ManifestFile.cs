namespace SharpCache.Core.Direct;

/// <summary>An include file as recorded: its path (index into <see cref="Manifest.Paths"/>), content digest and the stamp seen when it was hashed.</summary>
internal readonly record struct ManifestFile(int PathIndex, FileDigest Digest, FileStamp Stamp);
