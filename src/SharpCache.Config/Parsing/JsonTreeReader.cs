using System.Text;
using System.Text.Json;

namespace SharpCache.Config.Parsing;

/// <summary>
/// Reads the JSON form of a config file (sccache reads JSON when the name ends in <c>.json</c>) into the same
/// <see cref="ConfigTable"/> tree as TOML, with <see cref="Utf8JsonReader"/> (no reflection, NativeAOT-clean),
/// so both forms share one binder and one set of error messages.
/// </summary>
internal static class JsonTreeReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The document's root object, or null after reporting the syntax error.</summary>
    public static ConfigTable? Read(string text, ErrorSink errors)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, Options);
        try
        {
            if (!reader.Read())
            {
                return new ConfigTable(1, 1);
            }

            var builder = new TreeBuilder(errors);
            var (line, column) = Position(lines, reader.TokenStartIndex);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(string.Empty, "invalid JSON: the document must be an object", line, column);
                return null;
            }

            builder.StartTable(line, column);
            while (reader.Read())
            {
                (line, column) = Position(lines, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: builder.StartTable(line, column); break;
                    case JsonTokenType.StartArray: builder.StartArray(line, column); break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray: builder.End(); break;
                    case JsonTokenType.PropertyName: builder.Key(reader.GetString()!, line, column); break;
                    case JsonTokenType.String: builder.Scalar(reader.GetString()!, line, column); break;
                    case JsonTokenType.True: builder.Scalar(true, line, column); break;
                    case JsonTokenType.False: builder.Scalar(false, line, column); break;
                    case JsonTokenType.Number:
                        builder.Scalar(reader.TryGetInt64(out var l) ? l : (object)reader.GetDouble(), line, column);
                        break;
                    case JsonTokenType.Null:
                        // serde reads null as "absent" for optional keys; a null node would only confuse the binder.
                        builder.SkipValue();
                        break;
                    default: break;
                }
            }

            return builder.Root;
        }
        catch (JsonException e)
        {
            errors.Add(string.Empty, "invalid JSON: " + e.Message, (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1);
            return null;
        }
        catch (InvalidOperationException e)
        {
            // GetString on a string that does not decode (e.g. a lone surrogate escape).
            errors.Add(string.Empty, "invalid JSON: " + e.Message);
            return null;
        }
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Position(List<int> starts, long offset)
    {
        var index = starts.BinarySearch((int)offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, (int)offset - starts[index] + 1);
    }
}
