using System.Text;
using SharpCache.Core.Hashing;
using SharpCache.Storage;

namespace SharpCache.Client;

/// <summary>
/// The inputs of one cache key, in order, as (name, value) pairs. The key is the BLAKE3 of the
/// pairs; the pairs themselves are kept so that <c>--explain</c> can say which input differs
/// from the previous compile of the same source. Large inputs (preprocessed text, file
/// contents) enter as their digest.
/// </summary>
internal sealed class KeyRecipe
{
    private readonly List<KeyValuePair<string, string>> _components = new(32);

    public IReadOnlyList<KeyValuePair<string, string>> Components => _components;

    public void Add(string name, string value) => _components.Add(new(name, value));

    public CacheKey ComputeKey()
    {
        using var hasher = new KeyHasher();
        foreach (var (name, value) in _components)
        {
            hasher.Add(name, value);
        }

        return new CacheKey(hasher.FinishHex());
    }

    /// <summary>One component a line: <c>name\tvalue</c>, with tabs and newlines in values escaped.</summary>
    public string Serialize()
    {
        var builder = new StringBuilder(1024);
        foreach (var (name, value) in _components)
        {
            builder.Append(name).Append('\t').Append(Escape(value)).Append('\n');
        }

        return builder.ToString();
    }

    public static List<KeyValuePair<string, string>> Deserialize(string text)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                result.Add(new(line[..tab], Unescape(line[(tab + 1)..])));
            }
        }

        return result;
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                builder.Append(value[i] switch { 't' => '\t', 'n' => '\n', _ => value[i] });
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }
}
