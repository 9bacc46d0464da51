using System.Diagnostics;
using System.Text;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// One real <c>sharpcache-dist scheduler|server --config F</c> process (<c>dotnet sharpcache-dist.dll</c>,
/// copied next to the tests), optionally under a wrapper such as <c>faketime</c>. Its output is kept
/// for failure messages. <see cref="Kill"/> is SIGKILL; Dispose kills it too.
/// </summary>
public sealed class DistProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private DistProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>For messages: "scheduler", "server a", ...</summary>
    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>True once <see cref="Kill"/> was called (its exit is then expected).</summary>
    public bool Killed { get; private set; }

    /// <summary>What it printed so far (last 4,000 characters).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return $"--- {Name} log ---\n" + (text.Length > 4000 ? "..." + text[^4000..] : text);
            }
        }
    }

    /// <summary>Starts <c>[wrapper...] dotnet sharpcache-dist.dll ROLE --config CONFIG</c>.</summary>
    public static DistProcess Start(string name, string role, string config, params string[] wrapper)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sharpcache-dist.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built next to the tests");
        var dotnet = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(wrapper.Length > 0 ? wrapper[0] : dotnet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in wrapper.Skip(1).Concat(wrapper.Length > 0 ? [dotnet] : []).Concat([dll, role, "--config", config]))
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "SCCACHE_LOG", "SCCACHE_CONF", "SCCACHE_DIR", "SCCACHE_SERVER_UDS", "SCCACHE_ERROR_LOG" })
        {
            psi.Environment.Remove(variable);
        }

        psi.Environment["SCCACHE_LOG"] = "info";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new DistProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start " + psi.FileName), name);
    }

    /// <summary>SIGKILL (the process and its children: running sandboxes die with it) and waits for the end.</summary>
    public void Kill()
    {
        Killed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
