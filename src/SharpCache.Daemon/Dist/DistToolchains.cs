using System.Collections.Concurrent;
using SharpCache.Config;
using SharpCache.Toolchains;

namespace SharpCache.DaemonProcess.Dist;

/// <summary>
/// Which toolchain a compiler goes to the cluster with: a <c>[[dist.toolchains]]</c> entry for it
/// (<c>path_override</c>: the given archive; <c>no_dist</c>: none), else an archive packaged
/// automatically into the client toolchain cache. Packaging runs once per compiler version (path,
/// size, mtime) however many compiles ask at the same time; a failure is remembered for
/// <see cref="FailureMemory"/> so a broken compiler does not cost a packaging attempt per compile.
/// </summary>
internal sealed class DistToolchains
{
    public static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(60);

    private readonly DistConfig _config;
    private readonly ToolchainCache _cache;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public DistToolchains(DistConfig config, TimeProvider? time = null)
    {
        _config = config;
        _time = time ?? TimeProvider.System;
        _cache = new ToolchainCache(Path.Combine(config.CacheDir, "client", "tc"), config.ToolchainCacheSize, _time);
    }

    /// <summary>The toolchain for this compiler; <see cref="DistToolchain.NoDist"/> for a <c>no_dist</c> compiler.</summary>
    public Task<DistToolchain> ResolveAsync(string compilerPath, string invokedAs)
    {
        var rule = FindRule(compilerPath, invokedAs);
        if (rule is NoDistToolchain)
        {
            return Task.FromResult(DistToolchain.NoDist);
        }

        var version = Version(compilerPath);
        var key = compilerPath + "\0" + version;
        var now = _time.GetUtcNow();
        while (true)
        {
            var entry = _entries.GetOrAdd(key, _ => new Entry(Task.Run(() => Build(compilerPath, rule)), now));
            if (entry.Task.IsCompletedSuccessfully && entry.Task.Result.Failure is not null && now - entry.Created > FailureMemory)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                continue;
            }

            return entry.Task;
        }
    }

    private DistToolchainConfig? FindRule(string compilerPath, string invokedAs)
    {
        foreach (var rule in _config.Toolchains)
        {
            var configured = rule.CompilerExecutable;
            if (configured == compilerPath || configured == invokedAs || SameFile(configured, compilerPath))
            {
                return rule;
            }
        }

        return null;
    }

    private DistToolchain Build(string compilerPath, DistToolchainConfig? rule)
    {
        try
        {
            if (rule is Config.PathOverrideToolchain over)
            {
                var archive = Toolchains.PathOverrideToolchain.Load(over.CompilerExecutable, over.Archive, over.ArchiveCompilerExecutable);
                return new DistToolchain(archive, over.Archive, null);
            }

            var cached = _cache.GetOrCreate(compilerPath);
            return new DistToolchain(cached.Archive, cached.ArchivePath, null);
        }
        catch (Exception e) when (e is ToolchainPackagingException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new DistToolchain(null, null, "cannot package the toolchain of " + compilerPath + ": " + e.Message);
        }
    }

    private static string Version(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Length + ":" + info.LastWriteTimeUtc.Ticks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            var ra = new FileInfo(a).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(a);
            var rb = new FileInfo(b).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(b);
            return ra == rb;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private sealed record Entry(Task<DistToolchain> Task, DateTimeOffset Created);
}

/// <summary>A resolved toolchain: its archive and file, or why there is none.</summary>
internal sealed record DistToolchain(ToolchainArchive? Archive, string? ArchivePath, string? Failure)
{
    public static DistToolchain NoDist { get; } = new(null, null, null);

    public bool IsNoDist => Archive is null && Failure is null;
}
