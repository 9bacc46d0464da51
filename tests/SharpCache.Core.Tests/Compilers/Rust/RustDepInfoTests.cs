using SharpCache.Core.Compilers.Rust;

namespace SharpCache.Core.Tests.Compilers.Rust;

public sealed class RustDepInfoTests
{
    [Fact]
    public void Parse_RustcDepInfo_SourcesAndEnvDependencies()
    {
        const string text = "/ws/target/debug/deps/core_lib-a1.d: core_lib/src/lib.rs core_lib/src/a\\ b.rs\n\n"
            + "/ws/target/debug/deps/libcore_lib-a1.rlib: core_lib/src/lib.rs core_lib/src/a\\ b.rs\n\n"
            + "core_lib/src/lib.rs:\ncore_lib/src/a\\ b.rs:\n\n"
            + "# env-dep:ZED=1\n# env-dep:CORE_LIB_GREETING\n# env-dep:OUT_DIR=/ws/target/out\n";

        var info = RustDepInfo.Parse(text);

        Assert.NotNull(info);
        Assert.Equal(["core_lib/src/lib.rs", "core_lib/src/a b.rs"], info.Sources);
        Assert.Equal(
            [new("CORE_LIB_GREETING", null), new("OUT_DIR", "/ws/target/out"), new KeyValuePair<string, string?>("ZED", "1")],
            info.EnvDependencies);
    }

    [Fact]
    public void EscapeValue_MatchesRustc()
    {
        Assert.Equal("a\\nb\\\\c\\r", RustDepInfo.EscapeValue("a\nb\\c\r"));
    }
}
