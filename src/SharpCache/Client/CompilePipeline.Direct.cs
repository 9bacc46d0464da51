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
        Task<EarlyManifest>? prebuilt = null)
    {
        // A manifest prepared while the compile ran names the key computed before it and assumed the checkout-specific
        // choice known then; the outputs can change both (basedir-literal): then it is built or merged again here.
        var early = EarlyEntry(prebuilt);
        var sameKey = early is not null && early.ResultKey == resultKey;
        var prepared = sameKey && early!.CheckoutSpecific == checkoutSpecific
            ? early
            : PrepareManifest(sameKey ? early!.Built : BuildManifestEntry(includeFiles, searchPath, context, startedUtc, resultKey), directKey, directRecipe, checkoutSpecific, existing, context, resultKey);
        if (!prepared.Written)
        {
            WriteManifest(storage, prepared, context); // else written during the remote compile, which then fell back here
        }
    }

    /// <summary>Writes <paramref name="prepared"/>'s manifest, or says why this compile has none.</summary>
    private void WriteManifest(ICacheStore storage, EarlyManifest prepared, CompileContext context)
    {
        if (prepared.Encoded is not { } bytes)
        {
            _explain.Report(context.Compilation.InputFile, "direct mode not recorded for this compile: " + prepared.Built);
            return;
        }

        PutManifest(storage, prepared.StoreKey, bytes, compareStored: _options.Recache && !prepared.CheckoutOwn);
    }

    /// <summary>
    /// A manifest ready to be written: this compile's entry merged into <paramref name="existing"/> (or alone, under this
    /// checkout's own key when <paramref name="checkoutSpecific"/>) and encoded. No file is touched: a remote compile's
    /// manifest is prepared while the compile runs and written once its result is stored.
    /// </summary>
    private static EarlyManifest PrepareManifest(ManifestEntryBuildResult built, CacheKey directKey, KeyRecipe directRecipe, bool checkoutSpecific, Manifest? existing, CompileContext context, CacheKey resultKey)
    {
        if (built is not ManifestEntryBuildResult.Recorded { Manifest: var recorded })
        {
            return new EarlyManifest(built, resultKey, checkoutSpecific, directKey, false, null);
        }

        // Forced compiles did not look the manifest up: it is most likely the one about to be written (compared when written).
        var own = checkoutSpecific && context.Mapper.IsActive;
        var merged = ManifestMerger.Merge(own || existing is null ? null : ManifestPaths.ForLookup(existing, context.Mapper), recorded);
        var bytes = ManifestCodec.Encode(ManifestPaths.ForStore(merged, context.Mapper));
        return new EarlyManifest(built, resultKey, checkoutSpecific, own ? CheckoutKey(directRecipe, context.Mapper) : directKey, own, bytes);
    }

    /// <summary>
    /// This compile's direct-mode entry (<see cref="Built"/>) for <see cref="ResultKey"/> and, when it could be recorded, the
    /// manifest to write under <see cref="StoreKey"/> (<see cref="Encoded"/>; <see cref="CheckoutOwn"/>: this checkout's own key).
    /// <see cref="Written"/>: the manifest and the explain record are written already.
    /// </summary>
    private sealed record EarlyManifest(ManifestEntryBuildResult Built, CacheKey ResultKey, bool CheckoutSpecific, CacheKey StoreKey, bool CheckoutOwn, byte[]? Encoded)
    {
        public bool Written { get; init; }
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

    /// <summary>Runs <paramref name="work"/> here; what it throws is in the task, as with <see cref="OnOwnThread"/>.</summary>
    private static Task<T> Inline<T>(Func<T> work)
    {
        try
        {
            return Task.FromResult(work());
        }
#pragma warning disable CA1031 // Anything thrown here must reach the caller as OnOwnThread's would.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException<T>(e);
        }
    }

    private static EarlyManifest? EarlyEntry(Task<EarlyManifest>? prebuilt)
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

    private static void StoreManifest(ICacheStore storage, CacheKey directKey, Manifest? existing, Manifest added, CompileContext context)
    {
        var merged = ManifestMerger.Merge(existing is null ? null : ManifestPaths.ForLookup(existing, context.Mapper), added);
        PutManifest(storage, directKey, ManifestCodec.Encode(ManifestPaths.ForStore(merged, context.Mapper)), compareStored: false);
    }

    /// <summary>Writes an encoded manifest; with <paramref name="compareStored"/> the same bytes already there are left in place.</summary>
    private static void PutManifest(ICacheStore storage, CacheKey key, byte[] bytes, bool compareStored)
    {
        try
        {
            // The same manifest already there: a read instead of a file replaced.
            if (compareStored && storage is DiskStorage disk && disk.Get(key) is StorageReadResult.Hit { Data: var current } && current.AsSpan().SequenceEqual(bytes))
            {
                return;
            }

            storage.Put(key, bytes);
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
