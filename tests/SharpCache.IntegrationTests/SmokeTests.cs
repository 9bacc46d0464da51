namespace SharpCache.IntegrationTests;

public sealed class SmokeTests
{
    [Fact]
    public void Build_Works() => Assert.True(true);
}
