using System.Diagnostics;
using System.Text;

namespace SharpCache.Toolchains;

/// <summary>Runs a helper (the compiler asked about itself, the dynamic loader) with a time bound.</summary>
internal static class ToolProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The exit code and stdout; throws <see cref="ToolchainPackagingException"/> when it cannot run or hangs.</summary>
    public static (int ExitCode, string Stdout) Run(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new ToolchainPackagingException($"cannot run '{executable}'");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolchainPackagingException($"cannot run '{executable}': {e.Message}", e);
        }

        using (process)
        {
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
            process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ToolchainPackagingException($"'{executable} {string.Join(' ', arguments)}' did not finish within {Timeout.TotalSeconds} s");
            }

            // The parameterless wait also drains the redirected streams.
            process.WaitForExit();
            lock (stdout)
            {
                lock (stderr)
                {
                    return (process.ExitCode, process.ExitCode == 0 ? stdout.ToString() : stdout.Append(stderr).ToString());
                }
            }
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }
}
