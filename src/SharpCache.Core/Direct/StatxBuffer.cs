using System.Runtime.InteropServices;

namespace SharpCache.Core.Direct;

/// <summary>
/// Linux <c>struct statx</c> (256 bytes). Its layout is the same on every architecture, which is
/// why statx is used rather than stat (whose layout differs between x86_64 and aarch64).
/// Only the fields SharpCache reads are declared.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)]
    public uint Mask;

    [FieldOffset(28)]
    public ushort Mode;

    [FieldOffset(32)]
    public ulong Inode;

    [FieldOffset(40)]
    public ulong Size;

    [FieldOffset(96)]
    public long CtimeSeconds;

    [FieldOffset(104)]
    public uint CtimeNanoseconds;

    [FieldOffset(112)]
    public long MtimeSeconds;

    [FieldOffset(120)]
    public uint MtimeNanoseconds;

    [FieldOffset(136)]
    public uint DeviceMajor;

    [FieldOffset(140)]
    public uint DeviceMinor;
}
