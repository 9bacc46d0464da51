using SharpCache.Core.Compilers.Depfiles;
using SharpCache.Core.Direct;
using SharpCache.Core.Processes;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client;

/// <summary>Direct mode: manifests under the direct key, and depend mode.</summary>
internal sealed partial class CompilePipeline
{
    public const string DependFormat = "sharpcache-c-depend-1";

    /// <summary>
    /// Looks up the manifest under the direct key; under a base directory, then under this
    /// checkout's own key (entries whose outputs embed the checkout's path are filed there).
    /// </summary>
    private RestoreOutcome DirectLookup(ICacheStore storage, CacheKey directKey, KeyRecipe directRecipe, CompileContext context, out Manifest? manifest, out string? missReason)
    {
        var outcome = DirectLookupAt(storage, directKey, context, out manifest, out missReason);
        if (outcome == RestoreOutcome.Miss && context.Mapper.IsActive)
        {
            var own = DirectLookupAt(storage, CheckoutKey(directRecipe, context.Mapper), context, out _, out _);
            if (own != RestoreOutcome.Miss)
            {
                return own;
            }
        }

        return outcome;
    }

    /// <summary>The direct key of a compile whose outputs name its checkout: the literal base directory joins the key.</summary>
    private static CacheKey CheckoutKey(KeyRecipe directRecipe, BasedirMapper mapper)
    {
        var recipe = new KeyRecipe();
        foreach (var (name, value) in directRecipe.Components)
        {
            recipe.Add(name, value);
        }

        recipe.Add("basedir-literal", mapper.Basedir ?? "");
        return recipe.ComputeKey();
    }

    private RestoreOutcome DirectLookupAt(ICacheStore storage, CacheKey directKey, CompileContext context, out Manifest? manifest, out string? missReason)
    {
        Func<HeaderHashCache?> openHashes = OpenHeaderHashes;
        manifest = null;
        missReason = null;
        switch (storage.Get(directKey))
        {
            case StorageReadResult.Hit hit:
                if (!ManifestCodec.TryDecode(hit.Data, out var decoded, out var reason))
                {
                    Diagnostics.Write($"corrupt manifest {directKey} ({reason}): removed");
                    storage.Remove(directKey);
                    return RestoreOutcome.Error;
                }

                manifest = decoded;
                break;
            case StorageReadResult.Error error:
                Diagnostics.Write($"manifest read error for {directKey}: {error.Reason}");
                return RestoreOutcome.Error;
            default:
                return RestoreOutcome.Miss;
        }

        var match = ManifestMatcher.Match(ManifestPaths.ForLookup(manifest, context.Mapper), context.WorkingDirectory, openHashes);
        if (match is not ManifestMatch.Hit matched)
        {
            missReason = match.ToString();
            return RestoreOutcome.Miss;
        }

        var outcome = TryRestore(storage, new CacheKey(matched.ResultKey), context);
        if (outcome != RestoreOutcome.Restored)
        {
            missReason = "the manifest's result entry is gone (evicted or corrupt)";
        }
        else if (matched.Refreshed is { } refreshed)
        {
            // Files had to be re-hashed (touched, or too recent to trust when recorded): store
            // their current stamps so the next hit is stats only.
            try
            {
                storage.Put(directKey, ManifestCodec.Encode(ManifestPaths.ForStore(refreshed, context.Mapper)));
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return outcome;
    }

    private static EntryChecks EntryChecksFor(Configuration.Sloppiness sloppiness)
    {
        var checks = EntryChecks.All;
        if ((sloppiness & Configuration.Sloppiness.TimeMacros) != 0)
        {
            checks &= ~EntryChecks.TimeMacros;
        }

        if ((sloppiness & Configuration.Sloppiness.IncludeFileMtime) != 0)
        {
            checks &= ~EntryChecks.Mtime;
        }

        if ((sloppiness & Configuration.Sloppiness.IncludeFileCtime) != 0)
        {
            checks &= ~EntryChecks.Ctime;
        }

        return checks;
    }

    /// <summary>Adds this compile to the manifest under the direct key. Failures only cost future direct hits.</summary>
    private void RecordManifest(
        ICacheStore storage,
        CacheKey directKey,
        KeyRecipe directRecipe,
        bool checkoutSpecific,
        Manifest? existing,
        IReadOnlyList<string> includeFiles,
        IReadOnlyList<string> searchPath,
        CompileContext context,
        DateTime startedUtc,
        CacheKey resultKey,
        Task<ManifestEntryBuildResult>? prebuilt = null)
    {
        // An entry built while the compile ran names the key computed before it; the outputs can move the result
        // to another key (basedir-literal): then it is built again.
        var early = EarlyEntry(prebuilt);
        var built = early is ManifestEntryBuildResult.Recorded { Manifest: var m } && m.Entries.All(e => e.ResultKey == resultKey.Hex)
            ? early
            : BuildManifestEntry(includeFiles, searchPath, context, startedUtc, resultKey);
        if (built is ManifestEntryBuildResult.NotRecordable notRecordable)
        {
            _explain.Report(context.Compilation.InputFile, "direct mode not recorded for this compile: " + notRecordable);
            return;
        }

        var recorded = ((ManifestEntryBuildResult.Recorded)built).Manifest;
        if (checkoutSpecific && context.Mapper.IsActive)
        {
            StoreManifest(storage, CheckoutKey(directRecipe, context.Mapper), null, recorded, context);
        }
        else
        {
            // Forced compiles did not look the manifest up: it is most likely the one about to be written.
            StoreManifest(storage, directKey, existing, recorded, context, compareStored: _options.Recache);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a thread of its own: the thread pool would start its gate thread too (measured in the client's profile).</summary>
    private static Task<T> OnOwnThread<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>();
        new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
#pragma warning disable CA1031 // Anything thrown here must reach the caller, never end the process (an unhandled exception on a thread would).
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        { IsBackground = true }.Start();
        return done.Task;
    }

    private static ManifestEntryBuildResult? EarlyEntry(Task<ManifestEntryBuildResult>? prebuilt)
    {
        try
        {
            return prebuilt?.Result;
        }
        catch (AggregateException)
        {
            return null; // built again on this thread, where a failure is reported as it always was
        }
    }

    private ManifestEntryBuildResult BuildManifestEntry(IReadOnlyList<string> includeFiles, IReadOnlyList<string> searchPath, CompileContext context, DateTime startedUtc, CacheKey resultKey)
    {
        using var hashes = OpenHeaderHashes();
        return ManifestEntryBuilder.Build(includeFiles, searchPath, context.Compilation.InputFile, context.WorkingDirectory, startedUtc, resultKey.Hex, EntryChecksFor(_options.Sloppiness), hashes);
    }

    /// <summary>The digests of unchanged headers from earlier compiles (<see cref="HeaderHashCache"/>), in the cache directory.</summary>
    private HeaderHashCache? OpenHeaderHashes() => HeaderHashCache.TryOpen(Path.Combine(_options.CacheDirectory, "hashes"), _options.MaxCacheSize);

    private static void StoreManifest(ICacheStore storage, CacheKey directKey, Manifest? existing, Manifest added, CompileContext context, bool compareStored = false)
    {
        try
        {
            var merged = ManifestMerger.Merge(existing is null ? null : ManifestPaths.ForLookup(existing, context.Mapper), added);
            var bytes = ManifestCodec.Encode(ManifestPaths.ForStore(merged, context.Mapper));

            // The same manifest already there: a read instead of a file replaced.
            if (compareStored && storage is DiskStorage disk && disk.Get(directKey) is StorageReadResult.Hit { Data: var current } && current.AsSpan().SequenceEqual(bytes))
            {
                return;
            }

            storage.Put(directKey, bytes);
        }
        catch (IOException ex)
        {
            Diagnostics.Write($"manifest write failed: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            Diagnostics.Write($"manifest write failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Depend mode's store: the include list comes from the depfile the compile just wrote; the
    /// result key is the direct key plus every include's digest (no preprocessed text exists).
    /// </summary>
    private StoreOutcome TryStoreDepend(ICacheStore storage, CacheKey directKey, KeyRecipe directRecipe, Manifest? existing, CompileContext context, ProcessResult result, DateTime startedUtc)
    {
        string depfileText;
        try
        {
            depfileText = File.ReadAllText(Path.GetFullPath(context.Compilation.DepFile!, context.WorkingDirectory));
        }
        catch (IOException)
        {
            return StoreOutcome.Skipped;
        }
        catch (UnauthorizedAccessException)
        {
            return StoreOutcome.Skipped;
        }

        var prerequisites = DepfileParser.ParsePrerequisites(depfileText);
        var searchPath = prerequisites is null ? null : SearchPathMemo.Get(context, _runner, _options.CacheDirectory);
        if (prerequisites is null || searchPath is null)
        {
            Diagnostics.Write("depend mode: depfile or search path unreadable; not caching");
            return StoreOutcome.Skipped;
        }

        ManifestEntryBuildResult built;
        using (var hashes = OpenHeaderHashes())
        {
            built = ManifestEntryBuilder.Build(prerequisites, searchPath, context.Compilation.InputFile, context.WorkingDirectory, startedUtc, "pending", EntryChecksFor(_options.Sloppiness), hashes);
        }

        if (built is not ManifestEntryBuildResult.Recorded recorded)
        {
            _explain.Report(context.Compilation.InputFile, "not cached (depend mode): " + built);
            return StoreOutcome.Skipped;
        }

        var entryManifest = recorded.Manifest;
        var resultRecipe = new KeyRecipe();
        resultRecipe.Add("format", DependFormat);
        resultRecipe.Add("direct", directKey.Hex);
        foreach (var file in entryManifest.Files)
        {
            resultRecipe.Add("include", context.Mapper.Map(entryManifest.Paths[file.PathIndex]) + " " + file.Digest);
        }

        var collected = TryCollect(context, result, startedUtc, out var cacheEntry, out var embedsBasedir);
        if (collected != StoreOutcome.Stored)
        {
            return collected;
        }

        var checkoutSpecific = embedsBasedir && context.Mapper.IsActive;
        if (checkoutSpecific)
        {
            // The outputs name this checkout: neither the result nor its manifest may be shared.
            resultRecipe.Add("basedir-literal", context.Mapper.Basedir!);
        }

        var resultKey = resultRecipe.ComputeKey();
        var stored = StoreEntry(storage, resultKey, cacheEntry!);
        if (stored != StoreOutcome.Stored)
        {
            return stored;
        }

        var entry = entryManifest.Entries[0] with { ResultKey = resultKey.Hex };
        var manifest = entryManifest with { Entries = [entry] };
        if (checkoutSpecific)
        {
            StoreManifest(storage, CheckoutKey(directRecipe, context.Mapper), null, manifest, context);
        }
        else
        {
            StoreManifest(storage, directKey, existing, manifest, context);
        }

        return StoreOutcome.Stored;
    }
}
