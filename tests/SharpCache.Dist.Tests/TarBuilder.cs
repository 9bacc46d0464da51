using System.Formats.Tar;
using System.Text;

namespace SharpCache.Dist.Tests;

/// <summary>Builds tar archives in memory, including malicious ones.</summary>
internal sealed class TarBuilder
{
    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public TarBuilder() => _writer = new TarWriter(_stream, TarEntryFormat.Pax, leaveOpen: true);

    public TarBuilder File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4)
        => File(name, Encoding.UTF8.GetBytes(content), mode);

    public TarBuilder File(string name, byte[] content, UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), Mode = mode });
        return this;
    }

    public TarBuilder Dir(string name)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED });
        return this;
    }

    public TarBuilder Symlink(string name, string target)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public TarBuilder HardLink(string name, string target)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public TarBuilder Entry(TarEntryType type, string name)
    {
        _writer.WriteEntry(new PaxTarEntry(type, name));
        return this;
    }

    public TarBuilder HostFile(string name, string hostPath, UnixFileMode mode)
    {
        using var data = System.IO.File.OpenRead(hostPath);
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = mode });
        return this;
    }

    public byte[] ToArray()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }
}
