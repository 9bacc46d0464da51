namespace SharpCache.Core.Compilers;

/// <summary>Classifies <c>-g*</c> arguments; the last one that sets a level wins, as in gcc.</summary>
internal static class GccDebugOptions
{
    /// <summary>Whether <paramref name="argument"/> (starting with <c>-g</c>) turns debug info on or off.</summary>
    public static DebugSwitch Classify(string argument)
    {
        var rest = argument.AsSpan(2);
        switch (rest)
        {
            case "" or "1" or "2" or "3":
                return DebugSwitch.On;
            case "0":
                return DebugSwitch.Off;
            case "line-tables-only" or "line-directives-only" or "mlt" or "full" or "used" or "lldb"
                or "sce" or "dbx" or "codeview" or "btf" or "ctf":
                return DebugSwitch.On;
            default:
                break;
        }

        // Format selectors with an optional level: -ggdb, -ggdb0, -gdwarf-4, -gstabs+, -gxcoff2, -gvms.
        if (rest.StartsWith("gdb") || rest.StartsWith("stabs") || rest.StartsWith("xcoff") || rest.StartsWith("vms"))
        {
            return rest[^1] == '0' ? DebugSwitch.Off : DebugSwitch.On;
        }

        return rest.StartsWith("dwarf") ? DebugSwitch.On : DebugSwitch.Neutral;
    }
}
