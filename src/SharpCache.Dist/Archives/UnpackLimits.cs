namespace SharpCache.Dist.Archives;

/// <summary>
/// Bounds on one archive (size bombs): total bytes of file data and entries. Job inputs set
/// <see cref="AllowLinks"/> false: they are plain files, and the server creates directories in
/// their tree on the host, which must never follow a link.
/// </summary>
public sealed record UnpackLimits(long MaxBytes, int MaxEntries, bool AllowLinks = true);
