using SharpCache.Core.Compilers;
using SharpCache.Core.Entries;
using SharpCache.Core.Processes;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client;

/// <summary>Restoring a hit and storing a miss.</summary>
internal sealed partial class CompilePipeline
{
    /// <summary>Restores the outputs of <paramref name="key"/>'s entry; <paramref name="read"/>: its lookup, when made already.</summary>
    private static RestoreOutcome TryRestore(ICacheStore storage, CacheKey key, CompileContext context, StorageReadResult? read = null)
    {
        read ??= storage.Get(key);
        switch (read)
        {
            case StorageReadResult.Miss:
                return RestoreOutcome.Miss;
            case StorageReadResult.Error error:
                Diagnostics.Write($"cache read error for {key}: {error.Reason}");
                return RestoreOutcome.Error;
            case StorageReadResult.Hit hit:
                break;
            default:
                return RestoreOutcome.Miss;
        }

        var data = ((StorageReadResult.Hit)read).Data;
        if (EntryCodec.Decode(data) is not EntryDecodeResult.Ok ok)
        {
            Diagnostics.Write($"corrupt cache entry {key}: removed");
            storage.Remove(key);
            return RestoreOutcome.Error;
        }

        var entry = ok.Entry;
        var cwd = context.WorkingDirectory;
        var roles = OutputRoles.For(context.Compilation);

        // Every output this command line needs must be in the entry before anything is written.
        var plan = new List<(string Path, EntryFile File)>(roles.Count);
        foreach (var (role, path, required) in roles)
        {
            var file = FindFile(entry, role);
            if (file is null)
            {
                if (required)
                {
                    return RestoreOutcome.Miss;
                }

                continue;
            }

            plan.Add((Path.GetFullPath(path, cwd), file));
        }

        foreach (var (path, file) in plan)
        {
            var content = file.Content;
            if (file.Name == OutputRoles.DepFile && context.Mapper.IsActive)
            {
                content = context.Mapper.RestoreFile(content.ToArray());
            }

            if (!AtomicFile.TryWrite(path, content.Span, file.UnixMode))
            {
                // Could not write an output: let the real compile produce it.
                return RestoreOutcome.Miss;
            }
        }

        OutputReplay.Write(entry.Stdout.Span, entry.Stderr.Span);
        return RestoreOutcome.Restored;
    }

    /// <summary>
    /// Reads the outputs into an entry (depfiles basedir-mapped). <paramref name="embedsBasedir"/>:
    /// an output other than the depfile contains the base directory's path (a <c>__FILE__</c>, debug
    /// info), so the entry belongs to this checkout and must not be found from another one.
    /// </summary>
    private static StoreOutcome TryCollect(CompileContext context, ProcessResult result, DateTime startedUtc, out CacheEntry? entry, out bool embedsBasedir)
    {
        entry = null;
        embedsBasedir = false;
        try
        {
            var files = new List<EntryFile>(4);
            var cwd = context.WorkingDirectory;
            foreach (var (role, path, required) in OutputRoles.For(context.Compilation))
            {
                var full = Path.GetFullPath(path, cwd);
                var info = new FileInfo(full);

                if (!OutputRoles.WrittenBy(info, startedUtc))
                {
                    if (required)
                    {
                        Diagnostics.Write($"expected output {path} missing; not caching");
                        return StoreOutcome.Skipped;
                    }

                    continue;
                }

                var mode = (int)File.GetUnixFileMode(full);
                var content = File.ReadAllBytes(full);
                if (context.Mapper.IsActive)
                {
                    if (role == OutputRoles.DepFile)
                    {
                        content = context.Mapper.MapFileForStore(content);
                    }
                    else if (content.AsSpan().IndexOf(context.Mapper.BasedirBytes) >= 0)
                    {
                        embedsBasedir = true;
                    }
                }

                files.Add(new EntryFile(role, mode, content));
            }

            entry = new CacheEntry { Files = files, Stdout = result.Stdout, Stderr = result.Stderr };
            return StoreOutcome.Stored;
        }
        catch (IOException ex)
        {
            Diagnostics.Write($"reading outputs failed: {ex.Message}");
            return StoreOutcome.Skipped;
        }
        catch (UnauthorizedAccessException ex)
        {
            Diagnostics.Write($"reading outputs failed: {ex.Message}");
            return StoreOutcome.Skipped;
        }
    }

    private StoreOutcome StoreEntry(ICacheStore storage, CacheKey key, CacheEntry entry)
    {
        try
        {
            var bytes = EntryCodec.Encode(entry, _options.ZstdLevel);
            return storage.Put(key, bytes) switch
            {
                StorageWriteResult.Written => StoreOutcome.Stored,
                StorageWriteResult.TooLarge => StoreOutcome.Skipped,
                _ => StoreOutcome.Failed,
            };
        }
        catch (IOException ex)
        {
            Diagnostics.Write($"cache write failed: {ex.Message}");
            return StoreOutcome.Failed;
        }
        catch (UnauthorizedAccessException ex)
        {
            Diagnostics.Write($"cache write failed: {ex.Message}");
            return StoreOutcome.Failed;
        }
        catch (ArgumentException ex)
        {
            // An entry the format cannot hold (over 2 GiB): the compile stands, uncached.
            Diagnostics.Write($"not caching: {ex.Message}");
            return StoreOutcome.Skipped;
        }
    }

    private static EntryFile? FindFile(CacheEntry entry, string role)
    {
        foreach (var file in entry.Files)
        {
            if (file.Name == role)
            {
                return file;
            }
        }

        return null;
    }
}
