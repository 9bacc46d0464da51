namespace SharpCache.Core.Compilers;

/// <summary>How an option's value is spelled on the command line.</summary>
internal enum GccOptionForm : byte
{
    /// <summary>No value, exact match: <c>-c</c>.</summary>
    Flag,

    /// <summary>Value in the next argument: <c>-arch x86_64</c>.</summary>
    Separate,

    /// <summary>Value glued to the name, prefix match: <c>-O2</c>, <c>-Wl,x</c>, <c>-fno-rtti</c>.</summary>
    Concatenated,

    /// <summary>Name ends with <c>=</c>, value follows it, prefix match: <c>-std=c11</c>.</summary>
    Joined,

    /// <summary><c>-I dir</c> or <c>-Idir</c>.</summary>
    ConcatenatedOrSeparate,

    /// <summary><c>--sysroot dir</c> or <c>--sysroot=dir</c> (the name is written without the <c>=</c>).</summary>
    JoinedOrSeparate,
}
