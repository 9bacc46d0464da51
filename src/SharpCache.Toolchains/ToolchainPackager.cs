namespace SharpCache.Toolchains;

/// <summary>
/// Packages a local compiler into a toolchain archive a sharpcache-dist build server runs in its
/// sandbox (the archive's root becomes the sandbox's <c>/</c>). Both drivers of a compiler (<see cref="Partner"/>: gcc's
/// archive and g++'s are one, clang's and clang++'s too). gcc/g++/cc/c++: the drivers, the programs they run for
/// <c>-c</c> (cc1, cc1plus, as; objcopy, which <c>-gsplit-dwarf</c> runs to split the object) and the specs file if
/// there is one; not the link-time ones (collect2, lto-wrapper, lto1: a 32 MB lto1 was a
/// quarter of the archive, and a job never links: <c>-flto -c</c> is cc1's work too); clang/clang++: the
/// driver (one binary; the other names are symlinks to it); rustc: the real rustc of its sysroot
/// (not a rustup proxy), the sysroot's shared libraries and <c>lib/rustlib/&lt;host&gt;/lib</c>. Each
/// ELF brings every library the dynamic loader maps for it, and the loader, and the loader's cache comes along
/// (<c>/etc/ld.so.cache</c>). The archive is
/// deterministic, so the same compiler always gives the same <see cref="ToolchainArchive.ContentId"/>.
/// </summary>
public static class ToolchainPackager
{
    private static readonly string[] GccHelpers = ["cc1", "cc1plus"];

    /// <summary>
    /// Writes the archive of <paramref name="compilerPath"/> to <paramref name="output"/> (left open).
    /// Throws <see cref="ToolchainPackagingException"/> with a message for the user when the compiler
    /// does not exist, is not one we know, or a file it needs cannot be found.
    /// </summary>
    public static ToolchainArchive Package(string compilerPath, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (files, inArchive) = Collect(compilerPath);
        using var hashing = new HashingWriteStream(output);
        var count = DeterministicTarWriter.Write(files, hashing);
        hashing.Flush();
        return new ToolchainArchive(hashing.HashHex(), inArchive, count, hashing.BytesWritten);
    }

    /// <summary>The files of the toolchain and the compiler's absolute path inside the archive.</summary>
    internal static (ToolchainFileSet Files, string CompilerPath) Collect(string compilerPath)
    {
        var executable = Locate(compilerPath);
        var files = new ToolchainFileSet();
        switch (Identify(executable))
        {
            case CompilerFamily.Gcc:
                files.AddElf(executable);
                if (Partner(executable, CompilerFamily.Gcc) is { } partner)
                {
                    files.AddElf(partner);
                }

                foreach (var helper in GccHelpers)
                {
                    var (exitCode, output) = ToolProcess.Run(executable, "-print-prog-name=" + helper);
                    var path = output.Trim();
                    if (exitCode == 0 && Path.IsPathRooted(path) && File.Exists(path))
                    {
                        files.AddElf(path);
                    }
                }

                files.AddElf(GccAssembler(executable));
                if (GccProgram(executable, "objcopy") is { } objcopy)
                {
                    files.AddElf(objcopy);
                }

                AddGccSpecs(files, executable);
                AddUtf8Locale(files);
                AddLoaderCache(files);
                return (files, executable);
            case CompilerFamily.Clang:
                files.AddElf(executable);
                if (Partner(executable, CompilerFamily.Clang) is { } clangPartner)
                {
                    files.AddElf(clangPartner);
                }

                AddUtf8Locale(files);
                AddLoaderCache(files);
                return (files, executable);
            default:
                return CollectRust(executable, files);
        }
    }

    /// <summary>
    /// glibc's C.UTF-8 locale (400 KB) when the machine has it: a compiler run with <c>LANG=C.UTF-8</c>
    /// then quotes its diagnostics as it does locally (‘x’ rather than 'x').
    /// </summary>
    private static void AddUtf8Locale(ToolchainFileSet files)
    {
        const string Locale = "/usr/lib/locale/C.utf8";
        if (Directory.Exists(Locale))
        {
            files.AddTree(Locale);
        }
    }

    /// <summary>
    /// The dynamic loader's cache (<c>/etc/ld.so.cache</c>) when the machine has one. The archive's libraries are at this
    /// machine's paths, so the cache finds them; without it the loader tries about a dozen directories (glibc-hwcaps,
    /// tls, ...) for each library of each program a job runs: cc1 and as have eight and six, about 0.5-1 ms per compile
    /// in the sandbox. An entry for a library the archive lacks costs only a failed open before the same search.
    /// </summary>
    private static void AddLoaderCache(ToolchainFileSet files)
    {
        const string Cache = "/etc/ld.so.cache";
        if (File.Exists(Cache) && FileIdentity.IsRegularFile(Cache))
        {
            files.AddFile(Cache);
        }
    }

    /// <summary>The identity of what would be packaged: for rustc the sysroot's real rustc (a rustup proxy never changes), else the compiler itself.</summary>
    internal static string IdentityPath(string compilerPath)
    {
        var executable = Locate(compilerPath);
        return Path.GetFileName(executable).StartsWith("rustc", StringComparison.Ordinal)
            ? Path.Combine(Sysroot(executable), "bin", "rustc")
            : executable;
    }

    /// <summary>An absolute path to an existing file: a bare name is looked up on PATH.</summary>
    internal static string Locate(string compilerPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(compilerPath);
        if (!compilerPath.Contains('/', StringComparison.Ordinal))
        {
            return OnPath(compilerPath) ?? throw new ToolchainPackagingException($"compiler '{compilerPath}' is not on PATH");
        }

        var full = Path.GetFullPath(compilerPath);
        if (Directory.Exists(full))
        {
            throw new ToolchainPackagingException($"compiler '{compilerPath}' is a directory");
        }

        return File.Exists(full) ? full : throw new ToolchainPackagingException($"compiler '{compilerPath}' does not exist");
    }

    private static CompilerFamily Identify(string executable)
    {
        var (exitCode, output) = ToolProcess.Run(executable, "--version");
        var firstLine = output.Split('\n', 2)[0];
        return exitCode != 0 ? throw Unknown(executable)
            : firstLine.Contains("clang version", StringComparison.Ordinal) ? CompilerFamily.Clang
            : firstLine.StartsWith("rustc ", StringComparison.Ordinal) ? CompilerFamily.Rustc
            : output.Contains("Free Software Foundation", StringComparison.Ordinal) && IsGccDriver(executable) ? CompilerFamily.Gcc
            : throw Unknown(executable);
    }

    /// <summary>A GCC driver knows where its cc1 is (other GNU programs also print the FSF's copyright).</summary>
    private static bool IsGccDriver(string executable)
    {
        var (exitCode, output) = ToolProcess.Run(executable, "-print-prog-name=cc1");
        var path = output.Trim();
        return exitCode == 0 && Path.IsPathRooted(path) && File.Exists(path);
    }

    private static ToolchainPackagingException Unknown(string executable) =>
        new($"'{executable}' is not a compiler that can be packaged (gcc, g++, cc, c++, clang, clang++ or rustc)");

    /// <summary>
    /// The other driver of the same compiler beside <paramref name="driver"/>: g++ for gcc and gcc for g++, c++ for cc and cc
    /// for c++ (x86_64-linux-gnu-g++-12 for x86_64-linux-gnu-gcc-12), clang++ for clang and clang for clang++ (clang++-14 for
    /// clang-14), when it is the same compiler (gcc: the same cc1, version and target; clang: the same <c>--version</c>, which
    /// names the installation). With both drivers in it the archive of either is the same (one content id): a build of C
    /// and C++ uploads one toolchain per server, which unpacks it once and prepares sandboxes for both languages' jobs alike.
    /// </summary>
    internal static string? Partner(string driver, CompilerFamily family)
    {
        var name = Path.GetFileName(driver);
        var partnerName = family == CompilerFamily.Clang
            ? Swap(name, "clang++", "clang") ?? Swap(name, "clang", "clang++")
            : name switch
            {
                "cc" => "c++",
                "c++" => "cc",
                _ => Swap(name, "g++", "gcc") ?? Swap(name, "gcc", "g++"),
            };
        var partner = partnerName is null ? null : Path.Combine(Path.GetDirectoryName(driver)!, partnerName);
        if (partner is null || !File.Exists(partner))
        {
            return null;
        }

        string[] questions = family == CompilerFamily.Clang ? ["--version"] : ["-print-prog-name=cc1", "-dumpfullversion", "-dumpmachine"];
        foreach (var question in questions)
        {
            var (mine, mineOutput) = ToolProcess.Run(driver, question);
            var (theirs, theirOutput) = ToolProcess.Run(partner, question);
            if (mine != 0 || theirs != 0 || mineOutput.Trim() != theirOutput.Trim())
            {
                return null;
            }
        }

        return partner;

        static string? Swap(string name, string from, string to) =>
            name.LastIndexOf(from, StringComparison.Ordinal) is var i and >= 0 ? string.Concat(name.AsSpan(0, i), to, name.AsSpan(i + from.Length)) : null;
    }

    private static string GccAssembler(string driver) =>
        GccProgram(driver, "as") ?? throw new ToolchainPackagingException($"the assembler that '{driver}' runs is not on PATH");

    /// <summary>The program the driver runs by <paramref name="name"/>: its own (<c>-print-prog-name</c>), else the one on PATH; null when neither exists.</summary>
    private static string? GccProgram(string driver, string name)
    {
        var (exitCode, output) = ToolProcess.Run(driver, "-print-prog-name=" + name);
        var path = exitCode == 0 ? output.Trim() : "";
        if (Path.IsPathRooted(path) && File.Exists(path))
        {
            return path;
        }

        return OnPath(path.Length == 0 || path.Contains('/', StringComparison.Ordinal) ? name : path);
    }

    /// <summary>
    /// The driver's specs file when it reads one (<c>-print-file-name=specs</c> names an existing file; most builds,
    /// Debian's too, have their specs built in and print the bare name): it changes what the driver runs and passes.
    /// </summary>
    private static void AddGccSpecs(ToolchainFileSet files, string driver)
    {
        var (exitCode, output) = ToolProcess.Run(driver, "-print-file-name=specs");
        var path = output.Trim();
        if (exitCode == 0 && Path.IsPathRooted(path) && File.Exists(path) && FileIdentity.IsRegularFile(path))
        {
            files.AddFile(path);
        }
    }

    private static (ToolchainFileSet Files, string CompilerPath) CollectRust(string executable, ToolchainFileSet files)
    {
        var sysroot = Sysroot(executable);
        var (exitCode, output) = ToolProcess.Run(executable, "-vV");
        var host = exitCode == 0
            ? output.Split('\n').FirstOrDefault(line => line.StartsWith("host: ", StringComparison.Ordinal))?[6..].Trim()
            : null;
        if (string.IsNullOrEmpty(host))
        {
            throw new ToolchainPackagingException($"'{executable} -vV' does not name the host target");
        }

        var rustc = files.AddElf(Path.Combine(sysroot, "bin", "rustc"));
        foreach (var library in Directory.EnumerateFiles(Path.Combine(sysroot, "lib"), "*.so*").Order(StringComparer.Ordinal))
        {
            files.AddElf(library);
        }

        files.AddTree(Path.Combine(sysroot, "lib", "rustlib", host, "lib"));
        AddLoaderCache(files);
        return (files, rustc);
    }

    private static string Sysroot(string rustc)
    {
        var (exitCode, output) = ToolProcess.Run(rustc, "--print", "sysroot");
        var sysroot = output.Trim();
        return exitCode == 0 && Path.IsPathRooted(sysroot) && Directory.Exists(sysroot)
            ? sysroot
            : throw new ToolchainPackagingException($"'{rustc} --print sysroot' failed: {sysroot}");
    }

    private static string? OnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (Path.IsPathRooted(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
