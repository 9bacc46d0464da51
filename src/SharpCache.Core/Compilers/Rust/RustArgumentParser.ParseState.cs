namespace SharpCache.Core.Compilers.Rust;

public static partial class RustArgumentParser
{
    /// <summary>What one pass over the arguments has seen so far.</summary>
    private sealed class ParseState
    {
        private static readonly string[] ArchiveCrateTypes = ["lib", "rlib", "staticlib"];
        private static readonly string[] SystemLinkedCrateTypes = ["bin", "proc-macro", "dylib", "cdylib"];

        private readonly List<string> _hashed = new(64);
        private readonly List<string> _cfgs = [];
        private readonly List<string> _crateTypes = [];
        private readonly List<RustExtern> _externs = [];
        private readonly List<string> _nativeDirs = [];
        private readonly List<string> _staticLibs = [];
        private readonly List<string> _otherLibs = [];
        private readonly List<string> _remapped = [];
        private string? _crateName;
        private string? _outDir;
        private string? _target;
        private string? _color;
        private string? _linker;
        private string _extraFilename = "";
        private bool _probe;
        private bool _errorJson;
        private bool _debugInfo;
        private bool _emitSeen;
        private bool _emitLink;
        private bool _emitMetadata;
        private bool _emitDepInfo;

        public List<string> Inputs { get; } = [];

        public List<string> Kept { get; } = new(64);

        /// <summary>The first reason the compile cannot be cached (a probe still wins).</summary>
        public string? Problem { get; set; }

        /// <summary>Records one option; false when it must not be passed to a dep-info-only run.</summary>
        public bool Apply(RustOption option, string? value)
        {
            var spelled = value is null ? option.Name : option.Name + " " + value;
            switch (option.Kind)
            {
                case RustOptionKind.Probe:
                    _probe = true;
                    return true;
                case RustOptionKind.NotCacheable:
                    Problem ??= option.Reason ?? "unsupported rustc option " + option.Name;
                    return true;
                case RustOptionKind.CrateName:
                    _crateName = value;
                    _hashed.Add("--crate-name " + value);
                    return true;
                case RustOptionKind.CrateType:
                    foreach (var type in value!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        _crateTypes.Add(type);
                    }

                    _hashed.Add("--crate-type " + value);
                    return true;
                case RustOptionKind.Emit:
                    ApplyEmit(value!);
                    _hashed.Add("--emit " + value);
                    return false;
                case RustOptionKind.OutDir:
                    _outDir = value;
                    return false;
                case RustOptionKind.Output:
                    Problem ??= "-o output file";
                    return false;
                case RustOptionKind.Codegen:
                    ApplyCodegen(value!);
                    _hashed.Add("-C " + value);
                    return true;
                case RustOptionKind.Extern:
                    ApplyExtern(value!);
                    return true;
                case RustOptionKind.LinkPath:
                    ApplyLinkPath(value!);
                    return true;
                case RustOptionKind.LinkLib:
                    ApplyLinkLib(value!);
                    _hashed.Add("-l " + value);
                    return true;
                case RustOptionKind.Cfg:
                    _cfgs.Add(value!);
                    return true;
                case RustOptionKind.Target:
                    _target = value;
                    if (!value!.EndsWith(".json", StringComparison.Ordinal))
                    {
                        // A target spec file enters the key by content (the client hashes it).
                        _hashed.Add(spelled);
                    }

                    return true;
                case RustOptionKind.ErrorFormat:
                    _errorJson = value!.StartsWith("json", StringComparison.Ordinal);
                    _hashed.Add(spelled);
                    return true;
                case RustOptionKind.Color:
                    _color = value;
                    return true;
                case RustOptionKind.Unhashed:
                    return true;
                case RustOptionKind.RemapPathPrefix:
                    var equals = value!.IndexOf('=', StringComparison.Ordinal);
                    _remapped.Add(equals < 0 ? value : value[..equals]);
                    _hashed.Add(spelled);
                    return true;
                case RustOptionKind.DebugFlag:
                    _debugInfo = true;
                    _hashed.Add(spelled);
                    return true;
                case RustOptionKind.Hashed:
                default:
                    _hashed.Add(spelled);
                    return true;
            }
        }

        public RustParseResult Finish()
        {
            if (_probe)
            {
                return new RustParseResult.Probe();
            }

            var reason = Problem ?? Check();
            if (reason is not null)
            {
                return new RustParseResult.NotCacheable(reason);
            }

            if (!_emitSeen)
            {
                _emitLink = true;
            }

            if (_color is not null && !_errorJson)
            {
                // Human diagnostics carry colour codes or not; JSON ones do not depend on it.
                _hashed.Add("--color " + _color);
            }

            _cfgs.Sort(StringComparer.Ordinal);
            var linksWithSystemLinker = _emitLink && _crateTypes.Any(SystemLinkedCrateTypes.Contains);
            return new RustParseResult.Cacheable(new RustCompilation
            {
                CrateName = _crateName!,
                CrateTypes = _crateTypes,
                InputFile = Inputs[0],
                OutDir = _outDir!,
                ExtraFilename = _extraFilename,
                EmitLink = _emitLink,
                EmitMetadata = _emitMetadata,
                EmitDepInfo = _emitDepInfo,
                HashedArguments = _hashed,
                SortedCfgs = _cfgs,
                Externs = _externs,
                NativeSearchDirs = _nativeDirs,
                StaticLibraries = _staticLibs,
                OtherLibraries = _otherLibs,
                LinksWithSystemLinker = linksWithSystemLinker,
                Linker = _linker,
                Target = _target,
                HasDebugInfo = _debugInfo,
                RemappedPrefixes = _remapped,
                ArgumentsWithoutEmit = Kept,
            });
        }

        private string? Check()
        {
            if (Inputs.Count == 0)
            {
                return "no input file";
            }

            if (Inputs.Count > 1)
            {
                return "multiple input files";
            }

            if (Inputs[0] == "-")
            {
                return "input from stdin";
            }

            if (_crateName is null)
            {
                return "no --crate-name";
            }

            if (_outDir is null)
            {
                return "no --out-dir";
            }

            if (_crateTypes.Count == 0)
            {
                return "no --crate-type";
            }

            if (_emitLink || !_emitSeen)
            {
                foreach (var type in _crateTypes)
                {
                    if (ArchiveCrateTypes.Contains(type))
                    {
                        continue;
                    }

                    if (!SystemLinkedCrateTypes.Contains(type))
                    {
                        return "crate-type " + type;
                    }

                    // Executables and shared objects are cached for ELF targets only: other
                    // targets write extra files (.exe + .pdb, .dSYM, .wasm + .js) not modelled here.
                    if (_target is not null && !_target.Contains("-linux-", StringComparison.Ordinal))
                    {
                        return "crate-type " + type + " for target " + _target;
                    }
                }
            }

            return null;
        }

        private void ApplyEmit(string value)
        {
            if (_emitSeen)
            {
                Problem ??= "--emit given twice";
            }

            _emitSeen = true;
            foreach (var kind in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (kind.Contains('=', StringComparison.Ordinal))
                {
                    Problem ??= "--emit with an explicit path";
                    continue;
                }

                switch (kind)
                {
                    case "link":
                        _emitLink = true;
                        break;
                    case "metadata":
                        _emitMetadata = true;
                        break;
                    case "dep-info":
                        _emitDepInfo = true;
                        break;
                    default:
                        Problem ??= "--emit " + kind;
                        break;
                }
            }
        }

        private void ApplyCodegen(string value)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? value : value[..equals]).Replace('_', '-');
            var setting = equals < 0 ? "" : value[(equals + 1)..];
            switch (name)
            {
                case "incremental":
                    Problem ??= "incremental compilation";
                    break;
                case "extra-filename":
                    _extraFilename = setting;
                    break;
                case "linker":
                    _linker = setting;
                    break;
                case "debuginfo":
                    _debugInfo = setting is not ("0" or "none" or "false" or "n" or "no" or "off");
                    break;
                case "split-debuginfo":
                    if (setting != "off")
                    {
                        Problem ??= "-C split-debuginfo=" + setting;
                    }

                    break;
                case "save-temps":
                    if (setting is not ("n" or "no" or "off" or "false"))
                    {
                        Problem ??= "-C save-temps";
                    }

                    break;
                case "profile-generate":
                case "profile-use":
                    Problem ??= "-C " + name;
                    break;
                default:
                    break;
            }
        }

        private void ApplyExtern(string value)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? value : value[..equals];
            var path = equals < 0 ? null : value[(equals + 1)..];
            _externs.Add(new RustExtern(name, path));
        }

        private void ApplyLinkPath(string value)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var kind = equals < 0 ? "all" : value[..equals];
            var dir = equals < 0 ? value : value[(equals + 1)..];
            if (kind is "native" or "all")
            {
                _nativeDirs.Add(dir);
            }
            else if (kind is not ("crate" or "dependency" or "framework"))
            {
                // "-L C:/x" style paths with a colon but no kind are plain directories.
                _nativeDirs.Add(value);
            }
        }

        private void ApplyLinkLib(string value)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                // "-l name": the linker picks lib{name}.so or lib{name}.a.
                var plain = value.IndexOf(':', StringComparison.Ordinal);
                _otherLibs.Add(plain < 0 ? value : value[..plain]);
                return;
            }

            var kind = value[..equals];
            var colon = kind.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                kind = kind[..colon];
            }

            var name = value[(equals + 1)..];
            var rename = name.IndexOf(':', StringComparison.Ordinal);
            name = rename < 0 ? name : name[..rename];
            (kind == "static" ? _staticLibs : _otherLibs).Add(name);
        }
    }
}
