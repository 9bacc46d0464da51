namespace SharpCache.Core.Direct;

/// <summary>
/// The parent directory of one or more negative probes, stamped before the probes were checked.
/// While its stamp is unchanged (or it is still missing) nothing was created in it, so its
/// probes need no stat of their own.
/// </summary>
internal readonly record struct ManifestProbeDirectory(int PathIndex, bool Exists, FileStamp Stamp);
