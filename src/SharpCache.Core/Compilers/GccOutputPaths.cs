namespace SharpCache.Core.Compilers;

/// <summary>gcc's rules for implied output names (checked against gcc 12 and clang 14).</summary>
internal static class GccOutputPaths
{
    /// <summary>
    /// Replaces the extension of the last path component, or appends <paramref name="extension"/>
    /// when it has none: <c>obj/y.o</c> → <c>obj/y.d</c>, <c>obj/yy</c> → <c>obj/yy.d</c>.
    /// </summary>
    public static string ReplaceExtension(string path, string extension)
    {
        var nameStart = path.LastIndexOf('/') + 1;
        var dot = path.LastIndexOf('.');
        return dot > nameStart ? string.Concat(path.AsSpan(0, dot), extension) : path + extension;
    }

    /// <summary>The output without <c>-o</c>: the input's file name, extension replaced, in the working directory.</summary>
    public static string DefaultOutput(string input, string extension) =>
        ReplaceExtension(input[(input.LastIndexOf('/') + 1)..], extension);
}
