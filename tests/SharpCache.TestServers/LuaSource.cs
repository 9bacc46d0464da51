namespace SharpCache.TestServers;

/// <summary>
/// lua 5.4's pristine source tree (34 C files, <c>make -C src linux</c>), unpacked by
/// <c>scripts/deps/lua-source.sh</c> into the checkout's <c>.tools/sources/lua</c>;
/// <c>SHARPCACHE_LUA_SRC</c> overrides. Tests copy it before building (the tree stays pristine).
/// </summary>
public static class LuaSource
{
    public static string Require()
    {
        var configured = Environment.GetEnvironmentVariable("SHARPCACHE_LUA_SRC");
        if (!string.IsNullOrEmpty(configured) && File.Exists(Path.Combine(configured, "src", "lvm.c")))
        {
            return configured;
        }

        foreach (var root in NpmTool.RepositoryRoots())
        {
            var candidate = Path.Combine(root, ".tools", "sources", "lua");
            if (File.Exists(Path.Combine(candidate, "src", "lvm.c")))
            {
                return candidate;
            }
        }

        throw new ServerUnavailableException("lua sources are not unpacked: run scripts/deps/lua-source.sh (or scripts/test.sh), or set SHARPCACHE_LUA_SRC");
    }

    /// <summary>Copies the tree into <paramref name="destination"/> (created) and returns its <c>src</c> directory.</summary>
    public static string CopyTo(string destination)
    {
        var source = Require();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return Path.Combine(destination, "src");
    }
}
