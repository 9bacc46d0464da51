using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;

namespace SharpCache.Client;

/// <summary>Everything known about one cacheable compile before any key is computed.</summary>
internal sealed record CompileContext(
    CompilerIdentity Compiler,
    ParsedCompilation Compilation,
    IReadOnlyList<string> OriginalArguments,
    string WorkingDirectory,
    BasedirMapper Mapper);
