using System.Text;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Core.Hashing;

namespace SharpCache.Client.Rust;

/// <summary>
/// What the last compile with the same direct key read, from its dep-info: each source file
/// (basedir-mapped path and BLAKE3) and each <c>env!</c> variable (value as rustc escapes it,
/// mapped). Stored as text under the direct key. If every file still has its digest and every
/// variable its value, the result key follows without running rustc at all; otherwise the
/// compile is a miss (rustc's own dep-info then records the new list).
/// </summary>
internal sealed class RustManifest
{
    public const string Format = "sharpcache-rust-manifest-1";
    public const string FileName = "rust-manifest";

    private readonly List<(string Tag, string Name, string Value)> _items = [];

    public IReadOnlyList<(string Tag, string Name, string Value)> Items => _items;

    /// <summary>Builds the manifest from a fresh dep-info; null (with a reason) when a source cannot be read or changed during the compile.</summary>
    public static RustManifest? FromDepInfo(RustDepInfo depInfo, RustCompileContext context, DateTime startedUtc, out string? problem)
    {
        problem = null;
        var manifest = new RustManifest();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in depInfo.Sources)
        {
            if (!seen.Add(source))
            {
                continue;
            }

            var full = Path.GetFullPath(source, context.WorkingDirectory);
            try
            {
                if (File.GetLastWriteTimeUtc(full) >= startedUtc)
                {
                    problem = "source modified during the compile: " + source;
                    return null;
                }

                manifest._items.Add(("file", context.Mapper.Map(source), KeyHasher.HashFile(full)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A directory tracked by a proc-macro, a file deleted since: cannot vouch for it.
                problem = "unreadable source " + source;
                return null;
            }
        }

        foreach (var (name, value) in depInfo.EnvDependencies)
        {
            manifest._items.Add(value is null ? ("env-unset", name, "") : ("env", name, context.Mapper.Map(value)));
        }

        return manifest;
    }

    public string Serialize()
    {
        var text = new StringBuilder(256 + (_items.Count * 96));
        text.Append(Format).Append('\n');
        foreach (var (tag, name, value) in _items)
        {
            text.Append(tag).Append('\t').Append(name).Append('\t').Append(value).Append('\n');
        }

        return text.ToString();
    }

    public static RustManifest? Parse(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[0] != Format)
        {
            return null;
        }

        var manifest = new RustManifest();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var parts = lines[i].Split('\t');
            if (parts.Length != 3)
            {
                return null;
            }

            manifest._items.Add((parts[0], parts[1], parts[2]));
        }

        return manifest;
    }

    /// <summary>Null when everything still matches; otherwise what changed (for logs).</summary>
    public string? FindChange(RustCompileContext context)
    {
        foreach (var (tag, name, value) in _items)
        {
            switch (tag)
            {
                case "file":
                    var full = Path.GetFullPath(context.Unmap(name), context.WorkingDirectory);
                    try
                    {
                        if (KeyHasher.HashFile(full) != value)
                        {
                            return "source changed: " + name;
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        return "source unreadable: " + name;
                    }

                    break;
                case "env":
                    var current = Environment.GetEnvironmentVariable(name);
                    if (current is null || context.Mapper.Map(RustDepInfo.EscapeValue(current)) != value)
                    {
                        return "environment variable changed: " + name;
                    }

                    break;
                case "env-unset":
                    if (Environment.GetEnvironmentVariable(name) is not null)
                    {
                        return "environment variable now set: " + name;
                    }

                    break;
                default:
                    return "unknown manifest line";
            }
        }

        return null;
    }

    /// <summary>Adds the manifest's inputs to a copy of the direct recipe: the result key.</summary>
    public KeyRecipe ResultRecipe(KeyRecipe direct)
    {
        var recipe = new KeyRecipe();
        foreach (var (name, value) in direct.Components)
        {
            recipe.Add(name, value);
        }

        recipe.Add("result", Format);
        foreach (var (tag, name, value) in _items)
        {
            recipe.Add(tag, name + "\t" + value);
        }

        return recipe;
    }
}
