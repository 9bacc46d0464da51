using System.Runtime.InteropServices;

namespace SharpCache;

/// <summary>libc calls the runtime does not expose. Source-generated marshalling only (AOT).</summary>
internal static partial class NativeMethods
{
    [LibraryImport("libc", EntryPoint = "getuid")]
    internal static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "setsid")]
    internal static partial int SetSid();
}
