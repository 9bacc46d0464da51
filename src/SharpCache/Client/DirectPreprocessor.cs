using System.Text;
using SharpCache.Core.Compilers;
using SharpCache.Core.Direct;
using SharpCache.Core.Hashing;
using SharpCache.Core.Processes;

namespace SharpCache.Client;

/// <summary>
/// Runs gcc's preprocessor without its driver: <c>gcc -E ...</c> execs <c>cc1 -E ...</c> after reading its specs, and the
/// driver's part is about a fifth of a small unit's preprocessing (tiny.c, hyperfine: 6.7 ms through the driver, 5.4 ms
/// for the same cc1 command alone). The driver's command for a set of preprocessor arguments is asked once (<c>-###</c>)
/// and memoised in the cache directory, the input's name left as a mark, per compiler, working directory, form of the input
/// (extension, bare name or path) and the driver's environment. Before a command is memoised it is checked: run on the
/// first compile's input it must print what that compile's driver run prints (the same text and include search list; the
/// first compile of a kind costs the <c>-###</c> run and one run of the command); where it does not
/// (a relocated installation whose driver passes <c>GCC_EXEC_PREFIX</c>, a command with the input's name elsewhere in it,
/// several commands, a compiler proper not named <c>cc1*</c>, a "compiler" that is a script in front of one), the memo says
/// "driver" and the driver is run as before.
/// gcc only: clang runs its <c>-cc1</c> inside the driver's process. <c>SHARPCACHE_DIRECT_CPP=0</c> turns it off.
/// </summary>
internal static class DirectPreprocessor
{
    private const string Format = "sharpcache-cpp-v1";
    private const string DriverKind = "driver";
    private const string DirectKind = "direct";

    /// <summary>In a memoised command: the input as given / its file name / its stem with <c>.d</c> (what the driver gives <c>-MD</c>).</summary>
    private const string InputMark = "\u0001input";
    private const string NameMark = "\u0001name";
    private const string StemDepMark = "\u0001stem.d";

    /// <summary>Options whose operand (a depfile's name or target, the output's) the driver passes on as it is: marked, not memoised.</summary>
    private static readonly string[] OperandOptions = ["-MF", "-MT", "-MQ"];

    /// <summary>The environment the driver reads to find its programs (the rest, CPATH and the like, cc1 reads itself).</summary>
    private static readonly string[] DriverEnvironment = ["GCC_EXEC_PREFIX", "COMPILER_PATH", "GCC_ROOT", "GCC_COMPARE_DEBUG"];

    /// <summary>
    /// How to preprocess with <paramref name="arguments"/> (the driver's, the input among them): <see cref="Resolution.Command"/>, the
    /// compiler proper and its arguments, or null to run the driver; then, when <see cref="Resolution.Pending"/> is set, hand the
    /// driver's output to it (<see cref="Candidate.Conclude"/>), which memoises the command if it printed the same.
    /// </summary>
    public static Resolution Resolve(CompileContext context, IProcessRunner runner, IReadOnlyList<string> arguments, string cacheDirectory)
    {
        if (context.Compiler.Family != CompilerFamily.Gcc || !OperatingSystem.IsLinux() || Switches.IsOff("SHARPCACHE_DIRECT_CPP"))
        {
            return default;
        }

        var input = context.Compilation.InputFile;
        var inputCount = 0;
        foreach (var argument in arguments)
        {
            if (argument.Contains('\n', StringComparison.Ordinal))
            {
                return default; // -### prints one command per line
            }

            inputCount += argument == input ? 1 : 0;
        }

        if (inputCount != 1 || input.Length == 0 || Operands(input, arguments) is not { } operands)
        {
            return default;
        }

        var memo = MemoPath(context, arguments, operands, cacheDirectory);
        if (TryRead(memo) is { } known)
        {
            return new Resolution(known.Command is { } command ? (command.Executable, Substitute(command.Arguments, operands)) : null, null);
        }

        return new Resolution(null, Learn(context, runner, arguments, operands, memo));
    }

    /// <summary>
    /// The values the marks stand for in this compile: the input's forms and the operands of <see cref="OperandOptions"/> (marked by
    /// their position); null when they cannot be told apart (an operand equal to another or to the input's name, a joined
    /// <c>-MFfile</c>).
    /// </summary>
    private static Dictionary<string, string>? Operands(string input, IReadOnlyList<string> arguments)
    {
        var operands = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [InputMark] = input,
            [StemDepMark] = Path.GetFileNameWithoutExtension(input) + ".d",
        };
        if (Path.GetFileName(input) != input)
        {
            operands[NameMark] = Path.GetFileName(input); // a bare name is the input's mark
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.Length > 3 && OperandOptions.Any(o => argument.StartsWith(o, StringComparison.Ordinal)))
            {
                return null;
            }

            if (OperandOptions.Contains(argument) && i + 1 < arguments.Count)
            {
                operands[OperandMark(i + 1)] = arguments[++i];
            }
        }

        return operands.Values.Distinct(StringComparer.Ordinal).Count() == operands.Count && operands.Values.All(v => v.Length > 0) ? operands : null;
    }

    private static string OperandMark(int position) => "\u0001arg" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What <see cref="Resolve"/> found: a command to run instead of the driver, or a candidate to check against the driver's output.</summary>
    public readonly record struct Resolution((string Executable, List<string> Arguments)? Command, Candidate? Pending);

    /// <summary>
    /// The driver's command for a compile, run on its input: memoised by <see cref="Conclude"/> if the driver's own run prints the
    /// same text and include search list, else memoised as "run the driver".
    /// </summary>
    public sealed class Candidate
    {
        private readonly string _memo;
        private readonly Observation? _observed;

        internal Candidate(string memo, Observation? observed)
        {
            _memo = memo;
            _observed = observed;
        }

        /// <summary>Compares with the driver's run (<paramref name="stdoutDigest"/>: <see cref="Digest"/> of its stdout) and memoises the outcome.</summary>
        public void Conclude(int exitCode, ReadOnlySpan<byte> stdoutDigest, byte[] stderr)
        {
            if (exitCode != 0)
            {
                return; // nothing learnt from a failed run: asked again next time
            }

            var same = _observed is { } observed && stdoutDigest.SequenceEqual(observed.StdoutDigest)
                && IncludeSearchPath.Parse(Encoding.UTF8.GetString(stderr)).SequenceEqual(observed.SearchList);
            Write(_memo, same ? _observed!.Template : null);
        }
    }

    /// <summary>The driver's command (input marked) and what it printed when run on the compile's input.</summary>
    internal sealed record Observation((string Executable, List<string> Arguments) Template, byte[] StdoutDigest, IReadOnlyList<string> SearchList);

    /// <summary>A digest of a run's stdout, fed in pieces, for <see cref="Candidate.Conclude"/>.</summary>
    public static System.IO.Hashing.XxHash128 Digest() => new();

    /// <summary>A memo: the command with the input marked, or null for "run the driver".</summary>
    private sealed record Memo((string Executable, List<string> Arguments)? Command);

    private static string MemoPath(CompileContext context, IReadOnlyList<string> arguments, Dictionary<string, string> operands, string cacheDirectory)
    {
        var input = context.Compilation.InputFile;
        using var hasher = new KeyHasher();
        hasher.Add("format", Format);
        hasher.Add("compiler", context.Compiler.ExecutablePath);
        hasher.Add("digest", context.Compiler.Digest);
        hasher.Add("cwd", context.WorkingDirectory);
        hasher.Add("input-form", (input.Contains('/', StringComparison.Ordinal) ? "path" : "bare") + Path.GetExtension(input));
        for (var i = 0; i < arguments.Count; i++)
        {
            var mark = OperandMark(i);
            hasher.Add("arg", arguments[i] == input ? InputMark : operands.ContainsKey(mark) ? mark : arguments[i]);
        }

        foreach (var name in DriverEnvironment)
        {
            hasher.Add("env", name + "=" + Environment.GetEnvironmentVariable(name));
        }

        return Path.Combine(cacheDirectory, "preprocessors", hasher.FinishHex()[..40]);
    }

    /// <summary>The memo, if there is one and its compiler proper is unchanged.</summary>
    private static Memo? TryRead(string memo)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(memo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var fields = Encoding.UTF8.GetString(bytes).Split('\0');
        if (fields.Length < 2 || fields[0] != Format)
        {
            return null;
        }

        if (fields[1] == DriverKind)
        {
            return new Memo(null);
        }

        if (fields[1] != DirectKind || fields.Length < 5
            || FileStamp.Read(fields[2], out var stamp) != FileStampStatus.File
            || stamp.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) != fields[3]
            || stamp.MtimeNs.ToString(System.Globalization.CultureInfo.InvariantCulture) != fields[4])
        {
            return null; // the compiler proper changed: learn again
        }

        return new Memo((fields[2], [.. fields.AsSpan(5)]));
    }

    /// <summary>Asks the driver for its command and runs it on this compile's input, for <see cref="Candidate.Conclude"/>.</summary>
    private static Candidate Learn(CompileContext context, IProcessRunner runner, IReadOnlyList<string> arguments, Dictionary<string, string> operands, string memo)
    {
        var template = IsProgram(context.Compiler.ExecutablePath) && AskDriver(context, runner, arguments) is { } command ? Template(command, operands) : null;
        if (template is not { } known)
        {
            return new Candidate(memo, null);
        }

        try
        {
            var digest = Digest();
            var result = runner.RunStreaming(known.Executable, Substitute(known.Arguments, operands), context.WorkingDirectory, digest.Append);
            return new Candidate(memo, result.ExitCode != 0 ? null
                : new Observation(known, digest.GetCurrentHash(), IncludeSearchPath.Parse(Encoding.UTF8.GetString(result.Stderr))));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Candidate(memo, null);
        }
    }

    /// <summary>
    /// Whether the compiler is a program (ELF), not a script in front of one: a wrapper's own doings (logging, a changed
    /// environment, another compiler per call) would be skipped with it.
    /// </summary>
    private static bool IsProgram(string path)
    {
        try
        {
            using var file = File.OpenHandle(path);
            Span<byte> magic = stackalloc byte[4];
            return RandomAccess.Read(file, magic, 0) == 4 && magic.SequenceEqual("\u007fELF"u8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The one command <c>driver -### arguments</c> prints, or null (not one, or not gcc's compiler proper).</summary>
    private static List<string>? AskDriver(CompileContext context, IProcessRunner runner, IReadOnlyList<string> arguments)
    {
        ProcessResult result;
        try
        {
            result = runner.RunCaptured(context.Compiler.ExecutablePath, ["-###", .. arguments], context.WorkingDirectory);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (result.ExitCode != 0)
        {
            return null;
        }

        List<string>? command = null;
        foreach (var line in Encoding.UTF8.GetString(result.Stderr).Split('\n'))
        {
            if (!line.StartsWith(" /", StringComparison.Ordinal) && !line.StartsWith(" \"/", StringComparison.Ordinal))
            {
                continue;
            }

            if (command is not null || ParseCommandLine(line) is not { Count: > 0 } parsed)
            {
                return null;
            }

            command = parsed;
        }

        return command is not null && Path.GetFileName(command[0]).StartsWith("cc1", StringComparison.Ordinal) && File.Exists(command[0]) ? command : null;
    }

    /// <summary>
    /// One command as <c>-###</c> prints it: each argument after a space, as it is when made only of letters, digits and
    /// <c>_/-.</c>, else in double quotes with <c>"</c>, <c>\</c> and <c>$</c> escaped by a backslash. Null when malformed.
    /// </summary>
    internal static List<string>? ParseCommandLine(string line)
    {
        var arguments = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] != ' ')
            {
                return null;
            }

            i++;
            var argument = new StringBuilder();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return null;
                    }

                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i >= line.Length)
                        {
                            return null;
                        }

                        c = line[i++];
                    }

                    argument.Append(c);
                }
            }
            else
            {
                while (i < line.Length && line[i] != ' ')
                {
                    argument.Append(line[i++]);
                }

                if (argument.Length == 0)
                {
                    return null;
                }
            }

            arguments.Add(argument.ToString());
        }

        return arguments;
    }

    /// <summary>
    /// The command with the marks put in for the values they stand for (<see cref="Operands"/>); null if the input shows up in
    /// it some other way (its name or stem inside another argument: derived from it, not modelled), or the driver's <c>-MD</c>
    /// file (the input's stem with <c>.d</c>) is not overridden by a <c>-MF</c> after it.
    /// </summary>
    private static (string Executable, List<string> Arguments)? Template(List<string> command, Dictionary<string, string> operands)
    {
        var name = operands.GetValueOrDefault(NameMark, operands[InputMark]);
        var stem = Path.GetFileNameWithoutExtension(name) + ".";
        var marked = new List<string>(command.Count - 1);
        var depfileAt = -1;
        foreach (var argument in command.Skip(1))
        {
            var mark = operands.FirstOrDefault(o => o.Value == argument).Key;
            if (mark is not null)
            {
                depfileAt = mark == StemDepMark ? marked.Count : depfileAt;
                marked.Add(mark);
            }
            else if (argument.Contains(name, StringComparison.Ordinal) || argument.Contains(stem, StringComparison.Ordinal))
            {
                return null;
            }
            else
            {
                marked.Add(argument);
            }
        }

        if (depfileAt >= 0 && marked.IndexOf("-MF", depfileAt) < 0)
        {
            return null;
        }

        return (command[0], marked);
    }

    private static List<string> Substitute(List<string> template, Dictionary<string, string> operands)
    {
        var arguments = new List<string>(template.Count);
        foreach (var argument in template)
        {
            arguments.Add(argument.StartsWith('\u0001') ? operands.GetValueOrDefault(argument, argument) : argument);
        }

        return arguments;
    }

    private static void Write(string memo, (string Executable, List<string> Arguments)? template)
    {
        string[] fields;
        if (template is { } command && FileStamp.Read(command.Executable, out var stamp) == FileStampStatus.File)
        {
            fields = [Format, DirectKind, command.Executable, stamp.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), stamp.MtimeNs.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command.Arguments];
        }
        else
        {
            fields = [Format, DriverKind];
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(memo)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // not memoised: asked again next time
        }

        _ = AtomicFile.TryWrite(memo, Encoding.UTF8.GetBytes(string.Join('\0', fields)), 0);
    }
}
