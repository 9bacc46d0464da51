namespace SharpCache.Core.Compilers;

public static partial class GccArgumentParser
{
    /// <summary>What the walk over the arguments has seen so far. One per <see cref="Parse"/> call.</summary>
    private sealed partial class ParseState(CompilerFamily family, string workingDirectory, int capacity)
    {
        private readonly CompilerFamily _family = family;
        private readonly string _workingDirectory = workingDirectory;
        private List<string>? _extraHashFiles;
        private string? _language;
        private string? _input;
        private string? _inputLanguage;
        private string? _secondInput;
        private int _inputCount;
        private bool _compileOnly;
        private bool _assembleOnly;
        private bool _emitLlvm;
        private string? _output;
        private bool _writeDepFile;
        private string? _depFilePath;
        private string? _wrappedDepFile;
        private string? _arch;
        private string? _otherArch;
        private bool _debug;
        private bool _splitDwarf;
        private bool _coverageNotes;
        private string? _coverageNotesPath;
        private bool _profileInstrument;

        /// <summary>Arguments for the preprocessor run, in order, without <c>-E</c>.</summary>
        public List<string> Preprocess { get; } = new(capacity + 1);

        /// <summary>Arguments hashed into the key, in order.</summary>
        public List<string> Hashed { get; } = new(capacity);

        /// <summary>The dependency-file arguments as written (<c>-MD</c>, <c>-MF x</c>, <c>-MT t</c>, <c>-Wp,-MD,x</c>, ...).</summary>
        public List<string> Dependency { get; } = [];

        /// <summary>Positions in <see cref="Hashed"/> that belong to dependency-file arguments.</summary>
        private readonly HashSet<int> _hashedDependency = [];

        /// <summary><see cref="Hashed"/> without the dependency-file arguments: what a compile of the preprocessed text needs.</summary>
        public List<string> CompileOnlyArguments()
        {
            var list = new List<string>(Hashed.Count);
            for (var i = 0; i < Hashed.Count; i++)
            {
                if (!_hashedDependency.Contains(i))
                {
                    list.Add(Hashed[i]);
                }
            }

            return list;
        }

        private void AddDependency(string argument, string? separateValue, bool hashed)
        {
            if (hashed)
            {
                _hashedDependency.Add(Hashed.Count);
                Hashed.Add(argument);
                if (separateValue is not null)
                {
                    _hashedDependency.Add(Hashed.Count);
                    Hashed.Add(separateValue);
                }
            }

            AddTo(Dependency, argument, separateValue);
        }

        public void AddInput(string input)
        {
            _inputCount++;
            if (_inputCount == 1)
            {
                _input = input;
                _inputLanguage = _language;
            }
            else
            {
                _secondInput ??= input;
            }

            Preprocess.Add(input);
        }

        /// <summary>Routes one matched option; a non-null result ends the parse.</summary>
        public ArgumentParseResult.NotCacheable? Apply(GccOptionMatch match, string argument, string? separateValue)
        {
            var option = match.Option;
            switch (option.Kind)
            {
                case GccOptionKind.Preprocessor:
                    AddTo(Preprocess, argument, separateValue);
                    break;
                case GccOptionKind.Codegen:
                    AddTo(Preprocess, argument, separateValue);
                    AddTo(Hashed, argument, separateValue);
                    break;
                case GccOptionKind.HashOnly:
                    if (option.Name is "-Wa," or "-Xassembler" && WritesAssemblerFile(Value(match, argument, separateValue), option.Name == "-Wa,"))
                    {
                        return new(NotCacheableReason.UnsupportedFlag, separateValue is null ? argument : argument + " " + separateValue);
                    }

                    AddTo(Hashed, argument, separateValue);
                    break;
                case GccOptionKind.DependencyShape:
                    AddDependency(argument, separateValue, hashed: true);
                    break;
                case GccOptionKind.Unhashed:
                    break;
                case GccOptionKind.TooHard:
                    return new(option.Reason, argument);
                case GccOptionKind.CompileOnly:
                    _compileOnly = true;
                    break;
                case GccOptionKind.AssembleOnly:
                    // -S beats -c; hashed so an assembly listing never shares a key with an object.
                    _assembleOnly = true;
                    Hashed.Add(argument);
                    break;
                case GccOptionKind.Output:
                    _output = Value(match, argument, separateValue);
                    break;
                case GccOptionKind.LanguageOverride:
                    var language = Value(match, argument, separateValue);
                    _language = language == "none" ? null : language;
                    AddTo(Preprocess, argument, separateValue);
                    break;
                case GccOptionKind.DependencyFile:
                    // -MD and -MMD write different depfiles: hashed, unlike the -MF path.
                    _writeDepFile = true;
                    AddDependency(argument, null, hashed: true);
                    break;
                case GccOptionKind.DependencyPath:
                    _depFilePath = Value(match, argument, separateValue);
                    AddDependency(argument, separateValue, hashed: false);
                    break;
                case GccOptionKind.WrapperPreprocessor:
                    return ApplyWrapperPreprocessor(argument, match.ValueStart);
                case GccOptionKind.XClang:
                case GccOptionKind.EmitLlvm:
                    _emitLlvm |= option.Kind == GccOptionKind.EmitLlvm;
                    AddTo(Preprocess, argument, separateValue);
                    AddTo(Hashed, argument, separateValue);
                    break;
                case GccOptionKind.Arch:
                    var arch = Value(match, argument, separateValue);
                    _arch ??= arch;
                    if (_arch != arch)
                    {
                        _otherArch ??= arch;
                    }

                    AddTo(Preprocess, argument, separateValue);
                    AddTo(Hashed, argument, separateValue);
                    break;
                case GccOptionKind.Debug:
                    var debug = GccDebugOptions.Classify(argument);
                    _debug = debug == DebugSwitch.On || (_debug && debug == DebugSwitch.Neutral);
                    Hashed.Add(argument);
                    break;
                case GccOptionKind.SplitDwarf:
                    _splitDwarf = argument is "-gsplit-dwarf" or "-gsplit-dwarf=split";
                    Hashed.Add(argument);
                    break;
                case GccOptionKind.CoverageNotes:
                    _coverageNotes = true;
                    _profileInstrument |= option.Name == "--coverage" || option.Name == "-coverage";
                    Hashed.Add(argument);
                    break;
                case GccOptionKind.CoverageNotesPath:
                    _coverageNotesPath = Value(match, argument, separateValue);
                    Hashed.Add(argument);
                    break;
                case GccOptionKind.ProfileInstrument:
                    _profileInstrument = true;
                    Hashed.Add(argument);
                    break;
                case GccOptionKind.ProfileUse:
                    Hashed.Add(argument);
                    return AddProfile(argument, option.Form == GccOptionForm.Joined ? argument[match.ValueStart..] : null);
                case GccOptionKind.ExtraFile:
                    AddTo(Preprocess, argument, separateValue);
                    AddTo(Hashed, argument, separateValue);
                    AddExtraFileIfExists(Value(match, argument, separateValue));
                    break;
                case GccOptionKind.PreprocessorFile:
                    AddTo(Preprocess, argument, separateValue);
                    AddExtraFileIfExists(Value(match, argument, separateValue));
                    break;
                default:
                    throw new InvalidOperationException($"Unhandled option kind {option.Kind} for {argument}.");
            }

            return null;
        }

        private static void AddTo(List<string> list, string argument, string? separateValue)
        {
            list.Add(argument);
            if (separateValue is not null)
            {
                list.Add(separateValue);
            }
        }

        private static string Value(GccOptionMatch match, string argument, string? separateValue) =>
            separateValue ?? argument[match.ValueStart..];
    }
}
