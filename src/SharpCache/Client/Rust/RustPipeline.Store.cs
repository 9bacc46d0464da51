using System.Text;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Core.Entries;
using SharpCache.Core.Processes;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client.Rust;

/// <summary>Storing a miss: the outputs under the result key, then the manifest under the direct key.</summary>
internal sealed partial class RustPipeline
{
    private StoreOutcome Store(ICacheStore storage, CacheKey directKey, KeyRecipe directRecipe, RustCompileContext context, ProcessResult result, string? depInfoText, DateTime startedUtc)
    {
        if (depInfoText is null || RustDepInfo.Parse(depInfoText) is not { } depInfo)
        {
            Diagnostics.Write($"rust {context.Compilation.CrateName}: no dep-info; not caching");
            return StoreOutcome.Skipped;
        }

        var manifest = RustManifest.FromDepInfo(depInfo, context, startedUtc, out var problem);
        if (manifest is null)
        {
            Diagnostics.Write($"rust {context.Compilation.CrateName}: {problem}; not caching");
            return StoreOutcome.Skipped;
        }

        try
        {
            var files = new List<EntryFile>(4);
            foreach (var name in RustOutputNames.For(context.Compilation))
            {
                var path = Path.Combine(context.OutDir, name);
                var info = new FileInfo(path);
                if (!info.Exists || info.LastWriteTimeUtc < startedUtc.AddSeconds(-2))
                {
                    Diagnostics.Write($"expected output {path} missing; not caching");
                    return StoreOutcome.Skipped;
                }

                var content = File.ReadAllBytes(path);
                if (name.EndsWith(".d", StringComparison.Ordinal))
                {
                    content = RustOutputText.ToStored(content, context);
                }

                files.Add(new EntryFile(name, (int)File.GetUnixFileMode(path), content));
            }

            var entry = new CacheEntry
            {
                Files = files,
                Stdout = RustOutputText.ToStored(result.Stdout, context),
                Stderr = RustOutputText.ToStored(result.Stderr, context),
            };
            var resultKey = manifest.ResultRecipe(directRecipe).ComputeKey();
            var written = storage.Put(resultKey, EntryCodec.Encode(entry, _options.ZstdLevel));
            if (written is not StorageWriteResult.Written)
            {
                return written is StorageWriteResult.TooLarge ? StoreOutcome.Skipped : StoreOutcome.Failed;
            }

            var manifestEntry = new CacheEntry { Files = [new EntryFile(RustManifest.FileName, 0x1A4, Encoding.UTF8.GetBytes(manifest.Serialize()))] };
            return storage.Put(directKey, EntryCodec.Encode(manifestEntry, _options.ZstdLevel)) is StorageWriteResult.Written ? StoreOutcome.Stored : StoreOutcome.Failed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Diagnostics.Write($"cache write failed: {ex.Message}");
            return StoreOutcome.Failed;
        }
        catch (ArgumentException ex)
        {
            Diagnostics.Write($"not caching: {ex.Message}");
            return StoreOutcome.Skipped;
        }
    }
}
