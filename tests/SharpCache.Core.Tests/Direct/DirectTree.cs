using System.Diagnostics;
using System.Text;

namespace SharpCache.Core.Tests.Direct;

/// <summary>A fresh source tree under the temp root (the compile's working directory), deleted on dispose.</summary>
internal sealed class DirectTree : IDisposable
{
    public DirectTree()
    {
        Root = Directory.CreateTempSubdirectory("sharpcache-direct-").FullName;
    }

    public string Root { get; }

    /// <summary>A compile start that every file written by the test precedes by more than the too-new margin.</summary>
    public static DateTime FutureStart => DateTime.UtcNow.AddSeconds(30);

    public string Full(string relativePath) => Path.Combine(Root, relativePath);

    public string Write(string relativePath, string contents) => WriteBytes(relativePath, Encoding.UTF8.GetBytes(contents));

    public string WriteBytes(string relativePath, byte[] contents)
    {
        var full = Full(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, contents);
        return full;
    }

    /// <summary>Runs a tool in <see cref="Root"/>; returns (exit code, stdout bytes, stderr).</summary>
    public (int ExitCode, byte[] Stdout, string Stderr) Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        return (process.ExitCode, stdout.ToArray(), stderrTask.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
