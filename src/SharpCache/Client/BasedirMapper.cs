using System.Text;

namespace SharpCache.Client;

/// <summary>
/// <c>SCCACHE_BASEDIRS</c>: when a compile runs inside a base directory, absolute paths under that
/// directory are written as a placeholder in every key input (arguments, linemarkers, manifests,
/// stored depfiles), so the same project in two checkouts shares entries, and restored depfiles
/// name the current checkout. Only the base directory that holds the working directory is
/// mapped: a path under another base directory stays absolute, because restoring it would need
/// to know which checkout it belonged to.
/// </summary>
internal sealed class BasedirMapper
{
    /// <summary>Stands for the base directory in keys and stored files. Never appears in a real path.</summary>
    public const string Placeholder = "\u0001SHARPCACHE_BASEDIR\u0001";

    private static readonly byte[] PlaceholderBytes = Encoding.UTF8.GetBytes(Placeholder);

    public static BasedirMapper Inactive { get; } = new(null);

    private readonly string? _basedir;
    private readonly byte[] _basedirBytes;

    private BasedirMapper(string? basedir)
    {
        _basedir = basedir;
        _basedirBytes = basedir is null ? [] : Encoding.UTF8.GetBytes(basedir);
    }

    /// <summary>The base directory in use for this compile; null when none applies.</summary>
    public string? Basedir => _basedir;

    public bool IsActive => _basedir is not null;

    public ReadOnlySpan<byte> BasedirBytes => _basedirBytes;

    /// <summary>Picks the longest base directory that holds <paramref name="workingDirectory"/>.</summary>
    public static BasedirMapper For(IReadOnlyList<string> basedirs, string workingDirectory)
    {
        string? best = null;
        foreach (var dir in basedirs)
        {
            if (IsUnder(workingDirectory, dir) && (best is null || dir.Length > best.Length))
            {
                best = dir;
            }
        }

        return best is null ? Inactive : new BasedirMapper(best);
    }

    /// <summary>
    /// The mapper for one compile. Objects with debug info or coverage data embed the working
    /// directory and absolute source paths; sharing them across checkouts would restore the other
    /// checkout's paths, so base directories apply to such compiles only when a
    /// <c>-fdebug-prefix-map</c>/<c>-ffile-prefix-map</c> rewrites the base directory away.
    /// </summary>
    public static BasedirMapper ForCompile(IReadOnlyList<string> basedirs, string workingDirectory, Core.Compilers.ParsedCompilation compilation, IReadOnlyList<string> arguments)
    {
        if (basedirs.Count == 0)
        {
            return Inactive;
        }

        var mapper = For(basedirs, workingDirectory);
        if (!mapper.IsActive || !compilation.KeyIncludesWorkingDirectory)
        {
            return mapper;
        }

        foreach (var argument in arguments)
        {
            foreach (var prefix in PrefixMapOptions)
            {
                if (argument.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var value = argument[prefix.Length..];
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    var old = Path.TrimEndingDirectorySeparator(equals < 0 ? value : value[..equals]);
                    if (old.Length > 0 && IsUnder(mapper._basedir!, old))
                    {
                        return mapper;
                    }
                }
            }
        }

        return Inactive;
    }

    private static readonly string[] PrefixMapOptions = ["-fdebug-prefix-map=", "-ffile-prefix-map="];

    /// <summary>Replaces the base directory in an argument or path where it starts a path.</summary>
    public string Map(string text)
    {
        if (_basedir is null || !text.Contains(_basedir, StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var at = text.IndexOf(_basedir, i, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            var end = at + _basedir.Length;
            var boundaryAfter = end == text.Length || text[end] is '/' or '=' or ':' or ',' or ' ' or '"' or '\'';
            if (boundaryAfter && StartsPath(text, at))
            {
                builder.Append(text, i, at - i).Append(Placeholder);
            }
            else
            {
                builder.Append(text, i, end - i);
            }

            i = end;
        }

        builder.Append(text, i, text.Length - i);
        return builder.ToString();
    }

    /// <summary>Depfile (make syntax) to stored form: the base directory at the start of a path becomes the placeholder.</summary>
    public byte[] MapFileForStore(byte[] content) => Replace(content, _basedirBytes, PlaceholderBytes, requireTokenStart: true);

    /// <summary>Stored depfile back to this checkout's paths.</summary>
    public byte[] RestoreFile(byte[] content) => Replace(content, PlaceholderBytes, _basedirBytes, requireTokenStart: false);

    private static bool IsUnder(string path, string dir) =>
        path.Length >= dir.Length && path.StartsWith(dir, StringComparison.Ordinal)
        && (path.Length == dir.Length || path[dir.Length] == '/' || dir.EndsWith('/'));

    /// <summary>A path starts at the beginning, after a separator or quote, or right after an option's name (<c>-I/x</c>).</summary>
    private static bool StartsPath(string text, int at)
    {
        if (at == 0)
        {
            return true;
        }

        var previous = text[at - 1];
        if (previous is '=' or ',' or ':' or '"' or '\'' or '<' or ' ' or '\t')
        {
            return true;
        }

        if (text[0] != '-')
        {
            return false;
        }

        // "-I/dir", "-isystem/dir", "-fdebug-prefix-map" handled by '=' above.
        for (var j = 1; j < at; j++)
        {
            if (!char.IsAsciiLetter(text[j]) && text[j] != '-' && text[j] != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Replace(byte[] content, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool requireTokenStart)
    {
        if (from.IsEmpty || content.AsSpan().IndexOf(from) < 0)
        {
            return content;
        }

        using var output = new MemoryStream(content.Length);
        var span = content.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            var rel = span[i..].IndexOf(from);
            if (rel < 0)
            {
                break;
            }

            var at = i + rel;
            var end = at + from.Length;
            var tokenStart = at == 0 || span[at - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)':' or (byte)'"';
            var boundaryAfter = end == span.Length || span[end] is (byte)'/' or (byte)' ' or (byte)'\n' or (byte)'\\' or (byte)':';
            output.Write(span[i..at]);
            if (!requireTokenStart || (tokenStart && boundaryAfter))
            {
                output.Write(to);
            }
            else
            {
                output.Write(from);
            }

            i = end;
        }

        output.Write(span[i..]);
        return output.ToArray();
    }
}
