using SharpCache.Core.Compilers.Rust;

namespace SharpCache.Client.Rust;

/// <summary>Everything known about one cacheable rustc compile before any key is computed.</summary>
/// <param name="OutDir">The <c>--out-dir</c> made absolute against the working directory.</param>
internal sealed record RustCompileContext(
    RustcIdentity Rustc,
    RustCompilation Compilation,
    string WorkingDirectory,
    BasedirMapper Mapper,
    string OutDir)
{
    /// <summary>Turns a path written in a key or manifest (placeholder for the base directory) back into this checkout's path.</summary>
    public string Unmap(string mapped) =>
        Mapper.Basedir is { } basedir ? mapped.Replace(BasedirMapper.Placeholder, basedir, StringComparison.Ordinal) : mapped;
}
