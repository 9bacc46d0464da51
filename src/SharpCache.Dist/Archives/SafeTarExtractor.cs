using System.Formats.Tar;

namespace SharpCache.Dist.Archives;

/// <summary>
/// Unpacks an untrusted tar (plain, gzip or xz) into an empty directory, refusing anything that
/// could reach outside it or exhaust the disk: absolute names, <c>..</c> components, symlinks whose
/// target leaves the root (absolute targets count from the root, as inside the sandbox), writes
/// through a symlink, hard links to anything but a file already unpacked, device and fifo nodes,
/// and more bytes or entries than <see cref="UnpackLimits"/> allow. Modes keep only rwx bits (no
/// setuid/setgid/sticky). The first refusal stops the unpack; the caller deletes the directory.
/// </summary>
public static class SafeTarExtractor
{
    private const UnixFileMode AllowedModeBits = (UnixFileMode)0x1ED; // 0755

    /// <summary>
    /// Unpacks <paramref name="archive"/> into <paramref name="root"/>. An archive already in memory (a job's inputs, spooled)
    /// is unpacked synchronously: asynchronous writes to files opened for synchronous I/O each go through the thread pool,
    /// which cost a small job more than its writes (about 0.3 ms of the build server's time before the compiler starts).
    /// </summary>
    public static async Task<UnpackResult> ExtractAsync(Stream archive, string root, UnpackLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Directory.CreateDirectory(root);
        var state = new ExtractState(Path.GetFullPath(root), limits, synchronous: archive is MemoryStream);
        try
        {
            await using var tar = ArchiveStreams.OpenTar(archive);
            using var reader = new TarReader(tar, leaveOpen: true);
            while ((state.Synchronous ? reader.GetNextEntry(copyData: false) : await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false)) is { } entry)
            {
                var error = await state.ExtractEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    return new UnpackResult(state.Bytes, state.Entries, error);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or IOException or ArgumentException or SharpCompress.Common.ArchiveException)
        {
            return new UnpackResult(state.Bytes, state.Entries, new UnpackError(UnpackErrorKind.Corrupt, "", $"not a readable tar archive ({e.Message})"));
        }

        return new UnpackResult(state.Bytes, state.Entries, null);
    }

    private sealed class ExtractState(string root, UnpackLimits limits, bool synchronous)
    {
        /// <summary>Whether entries are read and written synchronously (the archive is in memory).</summary>
        public bool Synchronous => synchronous;

        private readonly HashSet<string> _symlinks = new(StringComparer.Ordinal);
        private readonly HashSet<string> _files = new(StringComparer.Ordinal);

        public long Bytes { get; private set; }

        public int Entries { get; private set; }

        public async Task<UnpackError?> ExtractEntryAsync(TarEntry entry, CancellationToken cancellationToken)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes or TarEntryType.LongLink or TarEntryType.LongPath)
            {
                return null;
            }

            if (++Entries > limits.MaxEntries)
            {
                return new UnpackError(UnpackErrorKind.TooManyFiles, entry.Name, $"archive has more than {limits.MaxEntries} entries (size bomb)");
            }

            var (relative, nameError) = Normalize(entry.Name);
            if (nameError is not null)
            {
                return nameError;
            }

            if (relative.Length == 0)
            {
                return entry.EntryType == TarEntryType.Directory ? null : new UnpackError(UnpackErrorKind.PathTraversal, entry.Name, "entry names the archive root");
            }

            if (ThroughSymlink(relative) is { } link)
            {
                return new UnpackError(UnpackErrorKind.ThroughSymlink, entry.Name, $"entry would be written through the symlink '{link}'");
            }

            var target = Path.Combine(root, relative);
            if (!limits.AllowLinks && entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            {
                return new UnpackError(UnpackErrorKind.UnsupportedEntry, entry.Name, "links are not allowed in job inputs");
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (_files.Contains(relative))
                    {
                        return new UnpackError(UnpackErrorKind.UnsupportedEntry, entry.Name, "directory replaces a file");
                    }

                    Directory.CreateDirectory(target);
                    return null;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    return await WriteFileAsync(entry, relative, target, cancellationToken).ConfigureAwait(false);
                case TarEntryType.SymbolicLink:
                    return Symlink(entry, relative, target);
                case TarEntryType.HardLink:
                    return HardLink(entry, relative, target);
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    return new UnpackError(UnpackErrorKind.DeviceOrFifo, entry.Name, $"device and fifo entries are not allowed ({entry.EntryType})");
                default:
                    return new UnpackError(UnpackErrorKind.UnsupportedEntry, entry.Name, $"unsupported tar entry type {entry.EntryType}");
            }
        }

        private async Task<UnpackError?> WriteFileAsync(TarEntry entry, string relative, string target, CancellationToken cancellationToken)
        {
            if (entry.Length < 0 || entry.Length > limits.MaxBytes - Bytes)
            {
                return new UnpackError(UnpackErrorKind.TooLarge, entry.Name, $"archive unpacks to more than {limits.MaxBytes} bytes (size bomb)");
            }

            Bytes += entry.Length;
            PrepareTarget(relative, target);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = (entry.Mode & AllowedModeBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            var output = new FileStream(target, options);
            try
            {
                if (entry.DataStream is { } data)
                {
                    if (synchronous)
                    {
                        CopyExactly(data, output, entry.Length);
                    }
                    else
                    {
                        await CopyExactlyAsync(data, output, entry.Length, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                if (synchronous)
                {
                    output.Dispose();
                }
                else
                {
                    await output.DisposeAsync().ConfigureAwait(false);
                }
            }

            _files.Add(relative);
            return null;
        }

        private UnpackError? Symlink(TarEntry entry, string relative, string target)
        {
            var linkTarget = entry.LinkName;
            if (string.IsNullOrEmpty(linkTarget) || linkTarget.Contains('\0', StringComparison.Ordinal))
            {
                return new UnpackError(UnpackErrorKind.SymlinkEscapes, entry.Name, "symlink has an empty or invalid target");
            }

            // Resolve lexically inside the root: absolute targets count from the root (that is what
            // they mean inside the sandbox), relative ones from the link's directory.
            var start = linkTarget.StartsWith('/') ? "" : (Path.GetDirectoryName(relative) ?? "");
            if (!StaysInside(start, linkTarget))
            {
                return new UnpackError(UnpackErrorKind.SymlinkEscapes, entry.Name, $"symlink target '{linkTarget}' leaves the archive root");
            }

            PrepareTarget(relative, target);
            File.CreateSymbolicLink(target, linkTarget);
            _symlinks.Add(relative);
            return null;
        }

        private UnpackError? HardLink(TarEntry entry, string relative, string target)
        {
            var (source, error) = Normalize(entry.LinkName);
            if (error is not null || !_files.Contains(source))
            {
                return new UnpackError(UnpackErrorKind.HardlinkInvalid, entry.Name, $"hard link target '{entry.LinkName}' is not a file unpacked earlier from this archive");
            }

            var sourcePath = Path.Combine(root, source);
            var length = new FileInfo(sourcePath).Length;
            if (length > limits.MaxBytes - Bytes)
            {
                return new UnpackError(UnpackErrorKind.TooLarge, entry.Name, $"archive unpacks to more than {limits.MaxBytes} bytes (size bomb)");
            }

            Bytes += length;
            PrepareTarget(relative, target);
            // A copy, not a link: the unpacked tree never shares inodes with anything else.
            File.Copy(sourcePath, target);
            _files.Add(relative);
            return null;
        }

        private void PrepareTarget(string relative, string target)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (_files.Remove(relative) || _symlinks.Remove(relative))
            {
                File.Delete(target); // a later entry replaces an earlier one (never followed: Delete does not follow links)
            }
            else if (Directory.Exists(target))
            {
                throw new InvalidDataException($"entry '{relative}' replaces a directory");
            }
        }

        private string? ThroughSymlink(string relative)
        {
            if (_symlinks.Count == 0)
            {
                return null;
            }

            var index = relative.IndexOf('/', StringComparison.Ordinal);
            while (index > 0)
            {
                var prefix = relative[..index];
                if (_symlinks.Contains(prefix))
                {
                    return prefix;
                }

                index = relative.IndexOf('/', index + 1);
            }

            return null;
        }

        private static void CopyExactly(Stream data, Stream output, long length)
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                var remaining = length;
                while (remaining > 0)
                {
                    var read = data.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                    if (read == 0)
                    {
                        throw new EndOfStreamException("tar entry data ends early");
                    }

                    output.Write(buffer, 0, read);
                    remaining -= read;
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private static async Task CopyExactlyAsync(Stream data, Stream output, long length, CancellationToken cancellationToken)
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                var remaining = length;
                while (remaining > 0)
                {
                    var read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new EndOfStreamException("tar entry data ends early");
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    remaining -= read;
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>An entry name as a clean relative path ("" = the root), or why it is refused.</summary>
    internal static (string Relative, UnpackError? Error) Normalize(string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            return ("", new UnpackError(UnpackErrorKind.PathTraversal, name, "entry name contains a NUL or backslash"));
        }

        if (name.StartsWith('/'))
        {
            return ("", new UnpackError(UnpackErrorKind.AbsolutePath, name, "absolute paths are not allowed in archives"));
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    return ("", new UnpackError(UnpackErrorKind.PathTraversal, name, "'..' path components are not allowed (path traversal)"));
                default:
                    parts.Add(part);
                    break;
            }
        }

        return (string.Join('/', parts), null);
    }

    /// <summary>Whether <paramref name="target"/>, followed from <paramref name="start"/> (relative to the root), stays inside the root.</summary>
    internal static bool StaysInside(string start, string target)
    {
        var depth = start.Length == 0 ? 0 : start.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (--depth < 0)
                {
                    return false;
                }
            }
            else if (part != ".")
            {
                depth++;
            }
        }

        return true;
    }
}
