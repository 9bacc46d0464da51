namespace SharpCache.Core.Compilers;

public static partial class GccArgumentParser
{
    private sealed partial class ParseState
    {
        /// <summary>The outcome once every argument has been seen.</summary>
        public ArgumentParseResult Finish()
        {
            if (!_compileOnly && !_assembleOnly)
            {
                return new ArgumentParseResult.NotCacheable(NotCacheableReason.NotCompilation, "no -c or -S");
            }

            if (_input is null)
            {
                return new ArgumentParseResult.NotCacheable(NotCacheableReason.NoSourceFile, "no input file");
            }

            if (_secondInput is not null)
            {
                return new ArgumentParseResult.NotCacheable(NotCacheableReason.MultipleSourceFiles, _secondInput);
            }

            if (_output == "-")
            {
                return new ArgumentParseResult.NotCacheable(NotCacheableReason.OutputToStdout, "-o -");
            }

            if (_otherArch is not null)
            {
                return new ArgumentParseResult.NotCacheable(NotCacheableReason.MultipleArch, "-arch " + _otherArch);
            }

            var kind = _inputLanguage is null
                ? GccLanguages.FromPath(_input, out var language)
                : GccLanguages.FromName(_inputLanguage, out language);
            if (kind != SourceKind.Source)
            {
                return new ArgumentParseResult.NotCacheable(
                    kind == SourceKind.Header ? NotCacheableReason.PrecompiledHeader : NotCacheableReason.UnknownLanguage,
                    _inputLanguage is null ? _input : "-x " + _inputLanguage);
            }

            var output = _output ?? GccOutputPaths.DefaultOutput(_input, DefaultExtension());
            var depFile = _wrappedDepFile
                ?? (_writeDepFile ? _depFilePath ?? GccOutputPaths.ReplaceExtension(output, ".d") : null);

            // gcc 12 writes the .dwo for -c -gsplit-dwarf even without -g; clang 14 only with debug info.
            var splitDwarfFile = _splitDwarf && !_assembleOnly && (_family == CompilerFamily.Gcc || _debug)
                ? GccOutputPaths.ReplaceExtension(output, ".dwo")
                : null;
            var coverageNotesFile = _coverageNotes
                ? _coverageNotesPath ?? GccOutputPaths.ReplaceExtension(output, ".gcno")
                : null;

            List<string>? preprocess = null;
            if (GccLanguages.IsPreprocessed(language))
            {
                preprocess = Preprocess;
                preprocess.Insert(0, "-E");
            }

            return new ArgumentParseResult.Cacheable(new ParsedCompilation
            {
                Language = language,
                InputFile = _input,
                OutputFile = output,
                PreprocessArguments = preprocess,
                HashedArguments = Hashed,
                CompileArguments = CompileOnlyArguments(),
                DependencyArguments = Dependency,
                ExtraHashFiles = (IReadOnlyList<string>?)_extraHashFiles ?? [],
                DepFile = depFile,
                SplitDwarfFile = splitDwarfFile,
                CoverageNotesFile = coverageNotesFile,
                KeyIncludesWorkingDirectory = _debug || _coverageNotes || _profileInstrument,
                KeyIncludesOutputPaths = depFile is not null || splitDwarfFile is not null
                    || _coverageNotes || _profileInstrument,
            });
        }

        private string DefaultExtension() => (_assembleOnly, _emitLlvm) switch
        {
            (true, true) => ".ll",
            (true, false) => ".s",
            (false, true) => ".bc",
            (false, false) => ".o",
        };

        /// <summary>
        /// Whether assembler options (<c>-Wa,</c>'s comma-separated list, or one <c>-Xassembler</c> value) make the assembler
        /// write a file of its own: a listing (<c>-a[cdghlmns]=file</c>; without <c>=</c> it goes to stdout, which is cached)
        /// or a dependency file (<c>--MD file</c>). The cache would not bring that file back (ccache refuses them too).
        /// </summary>
        internal static bool WritesAssemblerFile(string options, bool commaSeparated)
        {
            foreach (var option in commaSeparated ? options.Split(',') : [options])
            {
                if ((option.StartsWith("-a", StringComparison.Ordinal) && option.Contains('=', StringComparison.Ordinal)) || option is "--MD" || option.StartsWith("--MD=", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// <c>-Wp,-MD,path</c> / <c>-Wp,-MMD,path</c> ask the preprocessor for a depfile (the
        /// Linux kernel's form): recorded and kept out of the preprocessor run. Other <c>-Wp,</c>
        /// options are preprocessor-only; any other <c>-M</c> inside <c>-Wp,</c> is not modelled.
        /// </summary>
        private ArgumentParseResult.NotCacheable? ApplyWrapperPreprocessor(string argument, int valueStart)
        {
            var value = argument.AsSpan(valueStart);
            var comma = value.IndexOf(',');
            var first = comma < 0 ? value : value[..comma];
            if (first is "-MD" or "-MMD" && comma > 0)
            {
                var path = value[(comma + 1)..];
                if (path.IsEmpty || path.Contains(','))
                {
                    return new(NotCacheableReason.UnsupportedFlag, argument);
                }

                _wrappedDepFile = path.ToString();
                _hashedDependency.Add(Hashed.Count);
                Hashed.Add(string.Concat("-Wp,", first));
                Dependency.Add(argument);
                return null;
            }

            if (value.Contains("-M", StringComparison.Ordinal))
            {
                return new(NotCacheableReason.UnsupportedFlag, argument);
            }

            Preprocess.Add(argument);
            return null;
        }

        /// <summary>
        /// Profile data is part of the key: a readable file is hashed. gcc's implied lookups
        /// (<c>-fprofile-use</c> alone, or a directory) search per-object <c>.gcda</c> names
        /// and are not modelled; clang's directory form means <c>dir/default.profdata</c>.
        /// </summary>
        private ArgumentParseResult.NotCacheable? AddProfile(string argument, string? value)
        {
            string? path;
            if (_family == CompilerFamily.Clang)
            {
                path = Resolve(string.IsNullOrEmpty(value) ? "default.profdata" : value);
                if (Directory.Exists(path))
                {
                    path = Path.Combine(path, "default.profdata");
                }
            }
            else
            {
                path = !string.IsNullOrEmpty(value) ? Resolve(value)
                    : argument == "-fauto-profile" ? Resolve("fbdata.afdo")
                    : null;
            }

            if (path is null || !File.Exists(path))
            {
                return new(NotCacheableReason.ProfileUseUnhashable, argument);
            }

            (_extraHashFiles ??= []).Add(path);
            return null;
        }

        /// <summary>Adds a plugin/specs/PCH file to the key when it names an existing file.</summary>
        private void AddExtraFileIfExists(string value)
        {
            if (value.Length == 0)
            {
                return;
            }

            var path = Resolve(value);
            if (File.Exists(path))
            {
                (_extraHashFiles ??= []).Add(path);
            }
        }

        private string Resolve(string path) => Path.GetFullPath(path, _workingDirectory);
    }
}
