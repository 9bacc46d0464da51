using SharpCache.Dist.Archives;
using SharpCache.Dist.Protocol;

namespace SharpCache.Toolchains.Tests;

/// <summary>
/// Packages a compiler, unpacks the archive with sharpcache-dist's safe unpacker (as a build
/// server does), compiles a preprocessed file inside bubblewrap with only the toolchain as root,
/// and compiles the same file locally, in a directory at the same path: the two objects must be byte-identical.
/// </summary>
internal static class SandboxCompile
{
    private static readonly UnpackLimits Limits = new(8L << 30, 200_000);

    /// <summary>The object (and <paramref name="sideOutputs"/>, such as a split-DWARF <c>.dwo</c>) must be byte-identical.</summary>
    public static async Task<ToolchainArchive> AssertMatchesLocalAsync(string compiler, string sourceName, string source, string? preprocessedName, string[] compileArguments, params string[] sideOutputs)
    {
        using var temp = new TempDirectory();
        var (root, archive) = await PackageAndUnpackAsync(compiler, temp);

        var local = Directory.CreateDirectory(temp.Combine("local")).FullName;
        var remote = Directory.CreateDirectory(temp.Combine("remote")).FullName;
        await File.WriteAllTextAsync(Path.Combine(local, sourceName), source);
        var input0 = sourceName;
        if (preprocessedName is not null)
        {
            var (pre, preOutput) = await Run.ProcessAsync(compiler, ["-E", sourceName, "-o", preprocessedName], local);
            Assert.True(pre == 0, preOutput);
            input0 = preprocessedName;
        }

        File.Copy(Path.Combine(local, input0), Path.Combine(remote, input0));
        var (localExit, localOutput) = await Run.ProcessAsync(compiler, compileArguments, local);
        Assert.True(localExit == 0, localOutput);
        // At the local directory's path, as a build server runs a job at its client's: debug info names the directory (the
        // sandbox's /tmp is the only place a mount point can be made in the read-only toolchain root).
        var at = local.StartsWith("/tmp/", StringComparison.Ordinal) ? local : "/tmp/w";
        var (remoteExit, remoteOutput) = await Run.InSandboxAtAsync(root, remote, at, [archive.CompilerPath, .. compileArguments]);
        Assert.True(remoteExit == 0, remoteOutput);

        foreach (var output in (string[])[compileArguments[Array.IndexOf(compileArguments, "-o") + 1], .. sideOutputs])
        {
            Assert.True(File.Exists(Path.Combine(remote, output)), $"the sandbox wrote no {output}: {remoteOutput}");
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(local, output)), await File.ReadAllBytesAsync(Path.Combine(remote, output)));
        }
        return archive;
    }

    /// <summary>Packages <paramref name="compiler"/> into <paramref name="temp"/>, unpacks it as a build server does into <c>root</c>; the root's path and the archive.</summary>
    public static async Task<(string Root, ToolchainArchive Archive)> PackageAndUnpackAsync(string compiler, TempDirectory temp)
    {
        var archivePath = temp.Combine("toolchain.tar.gz");
        ToolchainArchive archive;
        await using (var output = File.Create(archivePath))
        {
            archive = ToolchainPackager.Package(compiler, output);
        }

        Assert.Equal(new FileInfo(archivePath).Length, archive.Size);
        Assert.Equal(HashOf(archivePath), archive.ContentId);
        Assert.True(ToolchainId.TryParse(archive.ContentId, out _));

        var root = temp.Combine("root");
        await using (var input = File.OpenRead(archivePath))
        {
            var unpacked = await SafeTarExtractor.ExtractAsync(input, root, Limits, CancellationToken.None);
            Assert.True(unpacked.Succeeded, unpacked.Error?.ToString());
        }

        var (_, found) = await Run.ProcessAsync("find", [root, "-type", "f"]);
        Assert.Equal(archive.FileCount, found.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        return (root, archive);
    }

    public static string HashOf(string path)
    {
        using var hasher = Blake3.Hasher.New();
        hasher.Update(File.ReadAllBytes(path));
        return hasher.Finalize().ToString();
    }
}
