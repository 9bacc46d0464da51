namespace SharpCache.Toolchains;

/// <summary>
/// A toolchain archive as a build server sees it. <see cref="ContentId"/> is the BLAKE3 hash of the
/// archive file's bytes as 64 lowercase hex digits: the id sharpcache-dist verifies on upload
/// (<c>POST /api/v1/server/toolchain/{id}</c>). <see cref="CompilerPath"/> is the absolute path of the
/// compiler inside the unpacked archive (the sandbox's root), the <c>executable</c> of a job.
/// </summary>
/// <param name="ContentId">BLAKE3 of the archive bytes, lowercase hex.</param>
/// <param name="CompilerPath">Absolute path of the compiler in the sandbox, e.g. <c>/usr/bin/gcc</c>.</param>
/// <param name="FileCount">Regular files in the archive; null when not counted (an xz archive given by path_override).</param>
/// <param name="Size">Archive size in bytes (compressed).</param>
public sealed record ToolchainArchive(string ContentId, string CompilerPath, int? FileCount, long Size);
