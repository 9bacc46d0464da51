namespace SharpCache.Configuration;

/// <summary>Checks a user may relax for more direct-mode hits (ccache's names). Each is documented with its risk in README.md.</summary>
[Flags]
internal enum Sloppiness
{
    None = 0,

    /// <summary>Cache direct-mode entries even when a file uses <c>__DATE__</c>/<c>__TIME__</c>/<c>__TIMESTAMP__</c>. Risk: stale timestamps in objects.</summary>
    TimeMacros = 1,

    /// <summary>Trust an include file whose mtime is recent (written during the compile). Risk: a header edited mid-compile is missed.</summary>
    IncludeFileMtime = 2,

    /// <summary>Same for ctime.</summary>
    IncludeFileCtime = 4,
}
