using SharpCache.Logging;

namespace SharpCache.Tests.Daemon;

public sealed class LogFilterParserTests
{
    [Theory]
    [InlineData(null, (int)LogLevel.Off)]
    [InlineData("", (int)LogLevel.Off)]
    [InlineData("debug", (int)LogLevel.Debug)]
    [InlineData("WARN", (int)LogLevel.Warn)]
    [InlineData("sccache=trace", (int)LogLevel.Trace)]
    [InlineData("sharpcache=info,hyper=warn", (int)LogLevel.Info)]
    [InlineData("hyper=debug", (int)LogLevel.Off)]
    [InlineData("error,sccache=debug", (int)LogLevel.Debug)]
    [InlineData("nonsense", (int)LogLevel.Off)]
    public void Parse_UnderstandsEnvLoggerForms(string? filter, int expected) =>
        Assert.Equal((LogLevel)expected, LogFilterParser.Parse(filter));
}
