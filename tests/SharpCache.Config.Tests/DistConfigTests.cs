namespace SharpCache.Config.Tests;

public class DistConfigTests
{
    [Theory]
    [InlineData("http://1.2.3.4:10600", "http://1.2.3.4:10600/")]
    [InlineData("https://sched.example", "https://sched.example/")]
    [InlineData("https://sched.example/", "https://sched.example/")]
    [InlineData("http://[::1]:10600", "http://[::1]:10600/")]
    public void Load_SchedulerUrl_Accepted(string text, string expected)
    {
        var config = TestEnv.Load($"[dist]\nscheduler_url = \"{text}\"\n");

        TestEnv.NoErrors(config);
        Assert.Empty(config.Warnings);
        Assert.Equal(expected, config.Dist.SchedulerUrl!.AbsoluteUri);
    }

    [Fact]
    public void Load_SchedulerUrlWithoutScheme_HttpWithWarning()
    {
        var config = TestEnv.Load("[dist]\nscheduler_url = \"10.0.0.1:10600\"\n");

        TestEnv.NoErrors(config);
        Assert.Equal(new Uri("http://10.0.0.1:10600/"), config.Dist.SchedulerUrl);
        Assert.Contains("assuming http", Assert.Single(config.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sched.example:10600")]
    [InlineData("not a url")]
    [InlineData("http://s/?q=1")]
    [InlineData("http://ho^st:1/")]
    [InlineData("http://host:0")]
    [InlineData("http://host:99999")]
    [InlineData("http://[zz::1]:1")]
    [InlineData("http://user@host/")]
    [InlineData("http://")]
    public void Load_BadSchedulerUrl_Error(string text)
    {
        var config = TestEnv.Load($"[dist]\nscheduler_url = \"{text}\"\n");

        Assert.Equal("dist.scheduler_url", TestEnv.SingleError(config).Key);
        Assert.Null(config.Dist.SchedulerUrl);
    }

    [Fact]
    public void Load_AuthTypes_Read()
    {
        Assert.Equal(
            new DistOAuth2CodeGrantPkceAuth("cid", "https://a/authorize", "https://a/token"),
            TestEnv.Load("[dist.auth]\ntype = \"oauth2_code_grant_pkce\"\nclient_id = \"cid\"\nauth_url = \"https://a/authorize\"\ntoken_url = \"https://a/token\"\n").Dist.Auth);
        Assert.Equal(
            new DistOAuth2ImplicitAuth("cid", "https://a/authorize"),
            TestEnv.Load("[dist.auth]\ntype = \"oauth2_implicit\"\nclient_id = \"cid\"\nauth_url = \"https://a/authorize\"\n").Dist.Auth);
        Assert.Equal(new DistTokenAuth("tok"), TestEnv.Load("[dist]\nauth = { type = \"token\", token = \"tok\" }\n").Dist.Auth);
    }

    [Fact]
    public void Load_MozillaAuth_IsPkcePresetOfMozillaAuth0()
    {
        var auth = Assert.IsType<DistOAuth2CodeGrantPkceAuth>(TestEnv.Load("[dist.auth]\ntype = \"mozilla\"\n").Dist.Auth);

        Assert.Equal("https://auth.mozilla.auth0.com/oauth/token", auth.TokenUrl);
        Assert.StartsWith("https://auth.mozilla.auth0.com/authorize", auth.AuthUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TokenAuth_RedactedInToString()
    {
        Assert.DoesNotContain("s3cret", TestEnv.Load("[dist.auth]\ntype = \"token\"\ntoken = \"s3cret\"\n").Dist.Auth.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Toolchains_BothTypes()
    {
        var config = TestEnv.Load("""
            [[dist.toolchains]]
            type = "path_override"
            compiler_executable = "/usr/bin/clang"
            archive = "/tc/clang.tar.xz"
            archive_compiler_executable = "/builds/clang/bin/clang"

            [[dist.toolchains]]
            type = "no_dist"
            compiler_executable = "/usr/bin/gcc"
            """);

        TestEnv.NoErrors(config);
        Assert.Equal(
            [new PathOverrideToolchain("/usr/bin/clang", "/tc/clang.tar.xz", "/builds/clang/bin/clang"), new NoDistToolchain("/usr/bin/gcc")],
            config.Dist.Toolchains);
    }

    [Theory]
    [InlineData("no_dist", "no_dist")]
    [InlineData("path_override", "no_dist")]
    [InlineData("path_override", "path_override")]
    public void Load_SameCompilerTwice_ErrorOnTheSecond(string first, string second)
    {
        static string Entry(string type) => type == "no_dist"
            ? "[[dist.toolchains]]\ntype = \"no_dist\"\ncompiler_executable = \"/cc\"\n"
            : "[[dist.toolchains]]\ntype = \"path_override\"\ncompiler_executable = \"/cc\"\narchive = \"/a\"\narchive_compiler_executable = \"/b\"\n";

        var config = TestEnv.Load(Entry(first) + Entry(second));

        var error = TestEnv.SingleError(config);
        Assert.Equal("dist.toolchains[1].compiler_executable", error.Key);
        Assert.Contains("already has a toolchain entry (dist.toolchains[0]", error.Message, StringComparison.Ordinal);
        Assert.Equal(first, Assert.Single(config.Dist.Toolchains).Type);
    }

    [Fact]
    public void Load_DistKeys_Read()
    {
        var config = TestEnv.Load("[dist]\ncache_dir = \"/dc\"\ntoolchain_cache_size = \"2G\"\nrewrite_includes_only = true\n");

        TestEnv.NoErrors(config);
        Assert.Equal("/dc", config.Dist.CacheDir);
        Assert.Equal(2L << 30, config.Dist.ToolchainCacheSize);
        Assert.True(config.Dist.RewriteIncludesOnly);
    }
}
