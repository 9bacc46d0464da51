namespace SharpCache.IntegrationTests.Dist;

/// <summary>Programs of this machine the dist tests use, found on <c>PATH</c>.</summary>
public static class HostTools
{
    /// <summary>The first <paramref name="name"/> on <c>PATH</c>, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>gcc from <c>PATH</c> with symlinks resolved: the file a toolchain archive holds at its own path.</summary>
    public static string RealGcc()
    {
        var gcc = Find("gcc") ?? throw new FileNotFoundException("gcc is not on PATH");
        return new FileInfo(gcc).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? gcc;
    }

    /// <summary>Writes an executable shell script.</summary>
    public static string Script(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }
}
