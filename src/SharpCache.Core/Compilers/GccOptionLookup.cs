namespace SharpCache.Core.Compilers;

/// <summary>
/// The argument table indexed for one compiler family: an exact-name dictionary, then prefix
/// rows bucketed by the argument's second character and ordered longest first, so
/// <c>-fprofile-use=</c> wins over <c>-f</c>. Built once per process on first use.
/// </summary>
internal sealed class GccOptionLookup
{
    private const int BucketCount = 128;

    private static GccOptionLookup? _gcc;
    private static GccOptionLookup? _clang;

    private readonly Dictionary<string, GccOption> _exact;
    private readonly (string Prefix, GccOption Option)[][] _prefixBuckets;

    private GccOptionLookup(CompilerFamilies family)
    {
        var rows = GccOptionTable.Create();
        _exact = new Dictionary<string, GccOption>(rows.Length, StringComparer.Ordinal);
        var buckets = new List<(string Prefix, GccOption Option)>?[BucketCount];
        foreach (var row in rows)
        {
            if ((row.Families & family) == 0)
            {
                continue;
            }

            switch (row.Form)
            {
                case GccOptionForm.Flag:
                case GccOptionForm.Separate:
                    _exact[row.Name] = row;
                    break;
                case GccOptionForm.Concatenated:
                case GccOptionForm.Joined:
                    AddPrefix(buckets, row.Name, row);
                    break;
                case GccOptionForm.ConcatenatedOrSeparate:
                    _exact[row.Name] = row;
                    AddPrefix(buckets, row.Name, row);
                    break;
                case GccOptionForm.JoinedOrSeparate:
                    _exact[row.Name] = row;
                    AddPrefix(buckets, row.Name + "=", row);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown form {row.Form} for {row.Name}.");
            }
        }

        _prefixBuckets = new (string, GccOption)[BucketCount][];
        for (var i = 0; i < BucketCount; i++)
        {
            var bucket = buckets[i];
            if (bucket is null)
            {
                _prefixBuckets[i] = [];
                continue;
            }

            bucket.Sort(static (a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
            _prefixBuckets[i] = [.. bucket];
        }
    }

    /// <summary>The lookup for <paramref name="family"/>; a benign race may build it twice.</summary>
    public static GccOptionLookup Get(CompilerFamily family) => family == CompilerFamily.Clang
        ? _clang ??= new GccOptionLookup(CompilerFamilies.Clang)
        : _gcc ??= new GccOptionLookup(CompilerFamilies.Gcc);

    /// <summary>Matches an argument that starts with <c>-</c>; false when no row applies (an unknown option).</summary>
    public bool TryMatch(string argument, out GccOptionMatch match)
    {
        if (_exact.TryGetValue(argument, out var exact))
        {
            var separate = exact.Form is GccOptionForm.Separate
                or GccOptionForm.ConcatenatedOrSeparate
                or GccOptionForm.JoinedOrSeparate;
            match = new GccOptionMatch(exact, separate, argument.Length);
            return true;
        }

        if (argument.Length > 1 && argument[1] < BucketCount)
        {
            foreach (var (prefix, option) in _prefixBuckets[argument[1]])
            {
                if (argument.StartsWith(prefix, StringComparison.Ordinal))
                {
                    match = new GccOptionMatch(option, false, prefix.Length);
                    return true;
                }
            }
        }

        match = default;
        return false;
    }

    private static void AddPrefix(List<(string Prefix, GccOption Option)>?[] buckets, string prefix, GccOption row)
    {
        var index = prefix[1];
        (buckets[index] ??= []).Add((prefix, row));
    }
}
