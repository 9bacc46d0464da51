namespace SharpCache.Core.Compilers.Rust;

/// <summary>A rustc toolchain as the key sees it.</summary>
/// <param name="ExecutablePath">The real rustc (a rustup proxy resolved to its toolchain's rustc).</param>
/// <param name="VersionText">The whole <c>rustc -vV</c> output (version, commit, host, LLVM).</param>
/// <param name="Sysroot"><c>rustc --print sysroot</c>.</param>
/// <param name="SysrootDigest">BLAKE3 over the names and contents of the shared libraries in <c>$sysroot/lib</c> (the compiler itself) and of every <c>lib/rustlib/TARGET/{lib,bin}</c> file (standard library, rust-lld).</param>
public sealed record RustcIdentity(string ExecutablePath, string VersionText, string Sysroot, string SysrootDigest);
