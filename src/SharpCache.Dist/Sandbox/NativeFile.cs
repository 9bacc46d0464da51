using System.Runtime.InteropServices;

namespace SharpCache.Dist.Sandbox;

/// <summary>libc <c>open(2)</c> with <c>O_NONBLOCK</c>, which .NET's FileStream cannot ask for (a fifo would block a plain open forever).</summary>
internal static partial class NativeFile
{
    private const int ReadOnly = 0;
    private const int NonBlock = 0x800;
    private const int CloseOnExec = 0x80000;

    public static int OpenReadNonBlocking(string path) => Open(path, ReadOnly | NonBlock | CloseOnExec);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
