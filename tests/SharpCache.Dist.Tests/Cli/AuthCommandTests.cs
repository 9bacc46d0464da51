using SharpCache.Dist.Auth;
using SharpCache.Dist.Cli;

namespace SharpCache.Dist.Tests.Cli;

public sealed class AuthCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AuthCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString().Trim(), stderr.ToString());
    }

    [Fact]
    public void GenerateJwtHs256Key_Prints32BytesUrlSafeNoPadding()
    {
        var (code, output, _) = Run("generate-jwt-hs256-key");
        Assert.Equal(0, code);
        Assert.Equal(43, output.Length);
        Assert.DoesNotContain('=', output);
        Assert.Equal(32, Base64Url.TryDecode(output)!.Length);
    }

    [Theory]
    [InlineData(new string[0], 32)]
    [InlineData(new[] { "--bits", "64" }, 8)]
    [InlineData(new[] { "--bits=4096" }, 512)]
    public void GenerateSharedToken_PrintsRequestedBits(string[] options, int bytes)
    {
        var (code, output, _) = Run(["generate-shared-token", .. options]);
        Assert.Equal(0, code);
        Assert.Equal(bytes, Base64Url.TryDecode(output)!.Length);
    }

    [Fact]
    public async Task GenerateServerToken_WithSecretKey_IsHs256JwtForThatServer()
    {
        var key = SharedTokens.NewHs256Key();
        var (code, token, _) = Run("generate-jwt-hs256-server-token", "--server", "192.168.1.10:10500", "--secret-key", key);
        Assert.Equal(0, code);
        Assert.Equal("192.168.1.10:10500", ServerJwt.ReadServerIdUnverified(token));
        Assert.Equal("192.168.1.10:10500", await ServerJwt.ValidateAsync(token, Base64Url.TryDecode(key)!));
        Assert.Null(await ServerJwt.ValidateAsync(token, Base64Url.TryDecode(SharedTokens.NewHs256Key())!));
        Assert.Contains("\"exp\":0", System.Text.Encoding.UTF8.GetString(Base64Url.TryDecode(token.Split('.')[1])!), StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateServerToken_WithSchedulerConfig_UsesItsKey()
    {
        var key = SharedTokens.NewHs256Key();
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"public_addr = \"127.0.0.1:10600\"\n[client_auth]\ntype = \"DANGEROUSLY_INSECURE\"\n[server_auth]\ntype = \"jwt_hs256\"\nsecret_key = \"{key}\"\n");
            var (code, token, _) = Run("generate-jwt-hs256-server-token", "--server", "10.0.0.1:10500", "--config", path);
            Assert.Equal(0, code);
            Assert.Equal("10.0.0.1:10500", ServerJwt.ReadServerIdUnverified(token));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData]
    [InlineData("bogus")]
    [InlineData("generate-shared-token", "--bits", "7")]
    [InlineData("generate-shared-token", "--bits", "8192")]
    [InlineData("generate-shared-token", "--bits")]
    [InlineData("generate-jwt-hs256-key", "--x", "1")]
    [InlineData("generate-jwt-hs256-server-token", "--secret-key", "abc")]
    [InlineData("generate-jwt-hs256-server-token", "--server", "10.0.0.1:10500")]
    [InlineData("generate-jwt-hs256-server-token", "--server", "nonsense", "--secret-key", "abc")]
    [InlineData("generate-jwt-hs256-server-token", "--server", "10.0.0.1:10500", "--secret-key", "tooshort")]
    [InlineData("generate-jwt-hs256-server-token", "--server", "10.0.0.1:10500", "--secret-key", "a", "--config", "b")]
    public void Auth_BadUsage_Exit2WithMessage(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("sharpcache-dist: ", error, StringComparison.Ordinal);
    }
}
