using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class ManifestEntryBuilderTests
{
    [Theory]
    [InlineData("__TIME__")]
    [InlineData("__DATE__")]
    [InlineData("__TIMESTAMP__")]
    public void Build_TimeMacroInHeader_NotRecordable(string macro)
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "#include \"t.h\"\n");
        tree.Write("t.h", $"const char *when = {macro};\n");

        var result = Build(tree, ["main.c", "t.h"]);

        var notRecordable = Assert.IsType<ManifestEntryBuildResult.NotRecordable>(result);
        Assert.Equal(NotRecordableReason.TimeMacro, notRecordable.Reason);
        Assert.Equal("t.h", notRecordable.Path);
    }

    [Fact]
    public void Build_TimeMacroInSource_NotRecordable()
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "const char *d = __DATE__;\n");

        var result = Build(tree, ["main.c"]);

        Assert.Equal(NotRecordableReason.TimeMacro, Assert.IsType<ManifestEntryBuildResult.NotRecordable>(result).Reason);
    }

    [Fact]
    public void Build_TimeLikeIdentifiers_Recordable()
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "#include \"t.h\"\n");
        tree.Write("t.h", "int __TIMEOUT = 1; int __DATE_ = 2; int __TIME_X__;\n");

        Assert.IsType<ManifestEntryBuildResult.Recorded>(Build(tree, ["main.c", "t.h"]));
    }

    [Fact]
    public void Build_TimeMacroWithSloppiness_Recorded()
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "const char *t = __TIME__;\n");

        var result = ManifestEntryBuilder.Build(["main.c"], [], "main.c", tree.Root, DateTime.UtcNow.AddSeconds(5), "k", EntryChecks.All & ~EntryChecks.TimeMacros);

        Assert.IsType<ManifestEntryBuildResult.Recorded>(result);
    }

    [Fact]
    public void Build_MissingInclude_Unreadable()
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "int x;\n");

        var result = Build(tree, ["main.c", "gone.h"]);

        var notRecordable = Assert.IsType<ManifestEntryBuildResult.NotRecordable>(result);
        Assert.Equal(NotRecordableReason.UnreadableFile, notRecordable.Reason);
        Assert.Equal("gone.h", notRecordable.Path);
    }

    [Fact]
    public void Build_SourceListedTwiceUnderAnotherSpelling_NotRecordedAsInclude()
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "int x;\n");

        var manifest = Assert.IsType<ManifestEntryBuildResult.Recorded>(Build(tree, ["main.c", "./main.c"])).Manifest;

        Assert.Empty(manifest.Files);
        Assert.Single(manifest.Entries);
        Assert.Equal("k", manifest.Entries[0].ResultKey);
    }

    [Fact]
    public void Build_AbsoluteIncludes_ProbesUseSearchDirectories()
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "#include <x.h>\n");
        var header = tree.Write("b/x.h", "int x;\n");
        Directory.CreateDirectory(tree.Full("a"));

        var result = ManifestEntryBuilder.Build(["main.c", header], [tree.Full("a"), tree.Full("b")], "main.c", tree.Root, DirectTree.FutureStart, "k");

        var manifest = Assert.IsType<ManifestEntryBuildResult.Recorded>(result).Manifest;
        var probes = manifest.Probes.Select(p => manifest.Paths[p.PathIndex]).ToArray();
        Assert.Equal(["x.h", tree.Full("a") + "/x.h"], probes);
    }

    private static ManifestEntryBuildResult Build(DirectTree tree, string[] files) =>
        ManifestEntryBuilder.Build(files, [], "main.c", tree.Root, DirectTree.FutureStart, "k");
}
