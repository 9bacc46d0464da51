using System.Globalization;

namespace SharpCache.Logging;

/// <summary>
/// A deliberately tiny process-wide logger. CONVENTIONS.md §10 prefers source-generated
/// <c>[LoggerMessage]</c>, but Microsoft.Extensions.Logging costs start-up time (DI, options,
/// providers) on the client's hit path, which must stay at NativeAOT process-spawn cost.
/// When logging is off (the default) every call is one static field compare; callers that
/// build expensive messages check <see cref="IsEnabled"/> first.
/// Output: stderr, or appended to a file (<c>SCCACHE_ERROR_LOG</c>), one line per call,
/// prefixed with a UTC timestamp, level and process id.
/// </summary>
internal static class Log
{
    private static readonly Lock Gate = new();
    private static LogLevel _level;
    private static string? _filePath;
    private static StreamWriter? _file;

    /// <summary>The active level; <see cref="LogLevel.Off"/> until <see cref="Configure"/>.</summary>
    public static LogLevel Level => _level;

    /// <summary>Sets the filter (<c>SCCACHE_LOG</c>) and the destination (null = stderr).</summary>
    public static void Configure(string? filter, string? filePath)
    {
        lock (Gate)
        {
            _level = LogFilterParser.Parse(filter);
            _file?.Dispose();
            _file = null;
            _filePath = filePath;
        }
    }

    public static bool IsEnabled(LogLevel level) => level != LogLevel.Off && level <= _level;

    public static void Error(string message) => Write(LogLevel.Error, message);

    public static void Warn(string message) => Write(LogLevel.Warn, message);

    public static void Info(string message) => Write(LogLevel.Info, message);

    public static void Debug(string message) => Write(LogLevel.Debug, message);

    public static void Trace(string message) => Write(LogLevel.Trace, message);

    public static void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"[{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {LevelName(level)} sharpcache {Environment.ProcessId}] {message}");
        lock (Gate)
        {
            try
            {
                if (_filePath is null)
                {
                    Console.Error.WriteLine(line);
                    return;
                }

                _file ??= new StreamWriter(new FileStream(_filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
                _file.WriteLine(line);
            }
            catch (IOException)
            {
                // Logging must never break a compile or the daemon.
            }
            catch (UnauthorizedAccessException)
            {
                // Same: an unwritable log file is ignored.
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Error => "ERROR",
        LogLevel.Warn => "WARN",
        LogLevel.Info => "INFO",
        LogLevel.Debug => "DEBUG",
        _ => "TRACE",
    };
}
