using Tomlyn;
using Tomlyn.Parsing;

namespace SharpCache.Config.Parsing;

/// <summary>
/// Reads TOML text into a <see cref="ConfigTable"/> with Tomlyn's incremental event parser (no reflection,
/// NativeAOT-clean). Tomlyn's event stream does not check that a key is defined once, so this reader does;
/// a table header that reopens a table merges into it.
/// </summary>
internal static class TomlTreeReader
{
    private static readonly TomlParserOptions Options = new() { Mode = TomlParserMode.Tolerant };

    /// <summary>The document's root table, or null after reporting the syntax errors (the caller then ignores the file).</summary>
    public static ConfigTable? Read(string text, ErrorSink errors)
    {
        try
        {
            var parser = TomlParser.Create(text, Options);
            var builder = new TreeBuilder(errors);
            while (parser.MoveNext())
            {
                Step(parser, builder);
            }

            if (parser.HasErrors)
            {
                foreach (var diagnostic in parser.Diagnostics)
                {
                    var start = diagnostic.Span.Start;
                    errors.Add(string.Empty, "invalid TOML: " + diagnostic.Message, start.Line + 1, start.Column + 1);
                }

                return null;
            }

            return builder.Root ?? new ConfigTable(1, 1);
        }
        catch (TomlException e)
        {
            errors.Add(string.Empty, "invalid TOML: " + e.Message, e.Line ?? 0, e.Column ?? 0);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            // A scalar the lexer accepted but its decoder did not (Tomlyn's tolerant mode reports most of these as diagnostics).
            errors.Add(string.Empty, "invalid TOML: " + e.Message);
            return null;
        }
    }

    private static void Step(TomlParser parser, TreeBuilder builder)
    {
        var e = parser.Current;
        switch (e.Kind)
        {
            case TomlParseEventKind.StartTable:
                builder.StartTable(e.Line, e.Column);
                break;
            case TomlParseEventKind.StartArray:
                builder.StartArray(e.Line, e.Column);
                break;
            case TomlParseEventKind.EndTable:
            case TomlParseEventKind.EndArray:
                builder.End();
                break;
            case TomlParseEventKind.PropertyName:
                builder.Key(parser.GetPropertyName(), e.Line, e.Column);
                break;
            case TomlParseEventKind.String:
                builder.Scalar(parser.GetString(), e.Line, e.Column);
                break;
            case TomlParseEventKind.Integer:
                builder.Scalar(e.GetInt64(), e.Line, e.Column);
                break;
            case TomlParseEventKind.Float:
                builder.Scalar(e.GetDouble(), e.Line, e.Column);
                break;
            case TomlParseEventKind.Boolean:
                builder.Scalar(e.GetBoolean(), e.Line, e.Column);
                break;
            case TomlParseEventKind.DateTime:
                builder.Scalar(e.GetTomlDateTime().ToString(), e.Line, e.Column);
                break;
            default:
                break;
        }
    }
}
