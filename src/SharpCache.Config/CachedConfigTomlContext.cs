using Tomlyn.Serialization;

namespace SharpCache.Config;

/// <summary>Tomlyn's source-generated (reflection-free, NativeAOT-safe) metadata for writing the cached config.</summary>
[TomlSerializable(typeof(CachedConfigDocument))]
internal sealed partial class CachedConfigTomlContext : TomlSerializerContext;
