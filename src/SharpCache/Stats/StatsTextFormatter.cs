using System.Globalization;
using SharpCache.Protocol;

namespace SharpCache.Stats;

/// <summary>
/// sccache's text layout for <c>-s</c>/<c>--show-adv-stats</c>: one "name value" line per
/// counter, names left-aligned to the longest name, values right-aligned to the widest value
/// (durations and percentages carry a two-character suffix that hangs past the column), then
/// the non-cacheable reasons table and the cache lines.
/// </summary>
internal static class StatsTextFormatter
{
    public static string Format(ServerInfo info, bool advanced)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(writer, info, advanced);
        return writer.ToString();
    }

    public static void Write(TextWriter writer, ServerInfo info, bool advanced)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(info);
        var s = info.Stats;
        var rows = new List<(string Name, string Value, int Suffix)>();
        rows.Add(("Compile requests", Num(s.CompileRequests), 0));
        rows.Add(("Compile requests executed", Num(s.RequestsExecuted), 0));
        AddLanguageRows(rows, "Cache hits", s.CacheHits, advanced);
        AddLanguageRows(rows, "Cache misses", s.CacheMisses, advanced);
        AddHitRates(rows, s, advanced);
        rows.Add(("Cache timeouts", Num(s.CacheTimeouts), 0));
        rows.Add(("Cache read errors", Num(s.CacheReadErrors), 0));
        rows.Add(("Forced recaches", Num(s.ForcedRecaches), 0));
        rows.Add(("Cache write errors", Num(s.CacheWriteErrors), 0));
        AddLanguageRows(rows, "Cache errors", s.CacheErrors, advanced);
        rows.Add(("Compilations", Num(s.Compilations), 0));
        rows.Add(("Compilation failures", Num(s.CompileFails), 0));
        rows.Add(("Non-cacheable compilations", Num(s.NonCacheableCompilations), 0));
        rows.Add(("Non-cacheable calls", Num(s.RequestsNotCacheable), 0));
        rows.Add(("Non-compilation calls", Num(s.RequestsNotCompile), 0));
        rows.Add(("Unsupported compiler calls", Num(s.RequestsUnsupportedCompiler), 0));
        rows.Add(("Average cache write", AverageSeconds(s.CacheWriteNanos, s.CacheWrites), 2));
        rows.Add(("Average compiler", AverageSeconds(s.CompilerNanos, s.Compilations), 2));
        rows.Add(("Average cache read hit", AverageSeconds(s.CacheReadHitNanos, s.CacheHits.Total), 2));
        rows.Add(("Failed distributed compilations", Num(s.DistErrors), 0));

        var nameWidth = rows.Max(r => r.Name.Length);
        var valueWidth = rows.Max(r => r.Value.Length);
        foreach (var (name, value, suffix) in rows)
        {
            writer.WriteLine(name.PadRight(nameWidth) + " " + value.PadLeft(valueWidth + suffix));
        }

        if (s.DistCompiles.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Successful distributed compiles");
            foreach (var (server, count) in ByCountDescending(s.DistCompiles))
            {
                writer.WriteLine("  " + server.PadRight(nameWidth - 2) + " " + Num(count).PadLeft(valueWidth));
            }
        }

        if (s.NotCached.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Non-cacheable reasons:");
            foreach (var (reason, count) in ByCountDescending(s.NotCached))
            {
                writer.WriteLine(reason.PadRight(nameWidth) + " " + Num(count).PadLeft(valueWidth));
            }

            writer.WriteLine();
        }

        writer.WriteLine("Cache location".PadRight(nameWidth) + " " + info.CacheLocation);
        if (info.CacheLocation.StartsWith("Local disk", StringComparison.Ordinal))
        {
            writer.WriteLine("Use direct/preprocessor mode?".PadRight(nameWidth) + " " + (info.UsePreprocessorCacheMode ? "yes" : "no"));
        }

        writer.WriteLine("Version (client)".PadRight(nameWidth) + " " + info.Version);
        WriteSize(writer, "Cache size", info.CacheSize, nameWidth, valueWidth);
        WriteSize(writer, "Max cache size", info.MaxCacheSize, nameWidth, valueWidth);
        WriteLevels(writer, info.Levels);
    }

    /// <summary>The chain, one block per level (sccache's "Multi-level cache levels"), when remote tiers are in use.</summary>
    private static void WriteLevels(TextWriter writer, IReadOnlyList<CacheLevelInfo> levels)
    {
        if (levels.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine("Multi-level cache levels:");
        for (var i = 0; i < levels.Count; i++)
        {
            var l = levels[i];
            writer.WriteLine("  L" + Num(i) + " " + l.Name + (l.ReadOnly ? " (read-only)" : "") + ": " + l.Location);
            var rows = new List<(string Name, string Value)>
            {
                ("Hits", Num(l.Hits)),
                ("Misses", Num(l.Misses)),
                ("Hit rate", l.Hits + l.Misses == 0 ? "-" : (l.Hits * 100.0 / (l.Hits + l.Misses)).ToString("0.00", CultureInfo.InvariantCulture) + " %"),
                ("Errors", Num(l.Errors)),
                ("Timeouts", Num(l.Timeouts)),
                ("Skipped (circuit open)", Num(l.ShortCircuits)),
                ("Writes", Num(l.Writes)),
                ("Write errors", Num(l.WriteErrors)),
                ("Backfills to", Num(l.BackfillsTo)),
                ("Backfills from", Num(l.BackfillsFrom)),
                ("Average hit latency", AverageMillis(l.HitNanos, l.Hits)),
                ("Average write latency", AverageMillis(l.WriteNanos, l.Writes)),
            };
            foreach (var (name, value) in rows)
            {
                writer.WriteLine("    " + name.PadRight(24) + value);
            }
        }
    }

    private static string AverageMillis(long totalNanos, long count) =>
        count > 0 ? (totalNanos / (double)count / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " ms" : "-";

    /// <summary>Binary-prefixed size as sccache prints it: <c>474 bytes</c>, <c>10 GiB</c>, <c>2 MiB</c>.</summary>
    internal static (string Value, string Unit) FormatSize(long bytes)
    {
        if (bytes < 1024)
        {
            return (Num(bytes), "bytes");
        }

        string[] prefixes = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var value = (double)bytes;
        var index = -1;
        while (value >= 1024 && index < prefixes.Length - 1)
        {
            value /= 1024;
            index++;
        }

        return (Math.Round(value, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture), prefixes[index] + "B");
    }

    private static void WriteSize(TextWriter writer, string name, long? bytes, int nameWidth, int valueWidth)
    {
        if (bytes is not { } size)
        {
            return;
        }

        var (value, unit) = FormatSize(size);
        writer.WriteLine(name.PadRight(nameWidth) + " " + value.PadLeft(valueWidth) + " " + unit);
    }

    private static void AddLanguageRows(List<(string, string, int)> rows, string name, LanguageCounts counts, bool advanced)
    {
        rows.Add((name, Num(counts.Total), 0));
        var perLanguage = advanced ? counts.AdvCounts : counts.Counts;
        foreach (var pair in perLanguage.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            rows.Add((name + " (" + pair.Key + ")", Num(pair.Value), 0));
        }
    }

    private static void AddHitRates(List<(string, string, int)> rows, StatsSnapshot s, bool advanced)
    {
        var hits = s.CacheHits.Total;
        AddRate(rows, "Cache hits rate", hits, hits + s.CacheMisses.Total);
        var hitMap = advanced ? s.CacheHits.AdvCounts : s.CacheHits.Counts;
        var missMap = advanced ? s.CacheMisses.AdvCounts : s.CacheMisses.Counts;
        foreach (var language in hitMap.Keys.Union(missMap.Keys).Order(StringComparer.Ordinal))
        {
            var h = hitMap.GetValueOrDefault(language);
            AddRate(rows, "Cache hits rate (" + language + ")", h, h + missMap.GetValueOrDefault(language));
        }
    }

    private static void AddRate(List<(string, string, int)> rows, string name, long hits, long total)
    {
        if (total == 0)
        {
            rows.Add((name, "-", 0));
            return;
        }

        var percent = hits * 100.0 / total;
        rows.Add((name, percent.ToString("0.00", CultureInfo.InvariantCulture) + " %", 2));
    }

    private static string AverageSeconds(long totalNanos, long count)
    {
        var average = count > 0 ? totalNanos / count : 0;
        var secs = average / 1_000_000_000;
        var millis = average % 1_000_000_000 / 1_000_000;
        return secs.ToString(CultureInfo.InvariantCulture) + "." + millis.ToString("000", CultureInfo.InvariantCulture) + " s";
    }

    private static IEnumerable<KeyValuePair<string, long>> ByCountDescending(IReadOnlyDictionary<string, long> counts) =>
        counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
