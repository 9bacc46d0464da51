using SharpCache.Core.Direct;

namespace SharpCache.Client;

/// <summary>
/// Manifests are stored with the base directory as a placeholder (see <see cref="BasedirMapper"/>)
/// and read back with the current checkout's base directory, so a second checkout stats its own files.
/// </summary>
internal static class ManifestPaths
{
    public static Manifest ForStore(Manifest manifest, BasedirMapper mapper) =>
        mapper.IsActive ? manifest with { Paths = Array.ConvertAll(manifest.Paths, mapper.Map) } : manifest;

    public static Manifest ForLookup(Manifest manifest, BasedirMapper mapper)
    {
        if (!mapper.IsActive)
        {
            return manifest;
        }

        var basedir = mapper.Basedir!;
        return manifest with
        {
            Paths = Array.ConvertAll(manifest.Paths, p => p.Replace(BasedirMapper.Placeholder, basedir, StringComparison.Ordinal)),
        };
    }
}
