using System.ComponentModel;
using System.Diagnostics;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>
/// Opens a URL in the user's browser: <c>$BROWSER</c> (colon-separated commands, each with <c>%s</c> for the URL or
/// the URL appended), else <c>xdg-open</c> when on PATH. Never waits for the browser and never fails the sign-in: when
/// nothing opens, the user copies the printed URL. The browser's output is passed on to <c>stderr</c> (a synchronized writer), prefixed.
/// </summary>
internal static class BrowserLauncher
{
    public static bool TryOpen(string url, Func<string, string?> env, TextWriter stderr)
    {
        var browser = env("BROWSER");
        var commands = string.IsNullOrWhiteSpace(browser)
            ? FindOnPath("xdg-open", env) is { } xdgOpen ? [xdgOpen] : []
            : browser.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var command in commands)
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            var info = new ProcessStartInfo(words[0])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var substituted = false;
            foreach (var word in words.Skip(1))
            {
                substituted |= word.Contains("%s", StringComparison.Ordinal);
                info.ArgumentList.Add(word.Replace("%s", url, StringComparison.Ordinal));
            }

            if (!substituted)
            {
                info.ArgumentList.Add(url);
            }

            try
            {
                var process = Process.Start(info);
                if (process is null)
                {
                    continue;
                }

                process.StandardInput.Close();
                process.OutputDataReceived += (_, e) => Forward(stderr, e.Data);
                process.ErrorDataReceived += (_, e) => Forward(stderr, e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                return true;
            }
            catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
            {
                stderr.WriteLine($"sharpcache: could not run the browser '{words[0]}': {e.Message}");
            }
        }

        return false;
    }

    private static void Forward(TextWriter stderr, string? line)
    {
        if (line is not null)
        {
            stderr.WriteLine("sharpcache: browser: " + line);
        }
    }

    private static string? FindOnPath(string tool, Func<string, string?> env) =>
        (env("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
