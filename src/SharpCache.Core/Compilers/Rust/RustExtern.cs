namespace SharpCache.Core.Compilers.Rust;

/// <summary>One <c>--extern name[=path]</c>; the key holds the name and the file's digest, never the path.</summary>
public readonly record struct RustExtern(string Name, string? Path);
