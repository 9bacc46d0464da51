namespace SharpCache.Config.Tests;

public class RobustnessTests
{
    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("\uFEFF[cache.disk]\r\ndir = \"/crlf\"\r\n")]
    public void Load_EmptyCommentOrCrlfFile_NoErrors(string toml)
    {
        TestEnv.NoErrors(TestEnv.Load(toml));
    }

    [Theory]
    [InlineData("size = 99999999999999999999\n")]
    [InlineData("size = 0x7FFFFFFFFFFFFFFFFF\n")]
    [InlineData("size = 1979-05-27T07:32:00Z\n")]
    [InlineData("size = inf\n")]
    [InlineData("dir = \"\\uD800\"\n")]
    public void Load_OddScalars_ErrorsNotExceptions(string line)
    {
        Assert.NotEmpty(TestEnv.Load("[cache.disk]\n" + line).Errors);
    }

    [Theory]
    [InlineData("{ \"cache\": { \"disk\": { \"dir\": \"\\uD800\" } } }")]
    [InlineData("{ \"server_startup_timeout_ms\": 1e400 }")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"a\": 1 } trailing")]
    public void Load_OddJson_ErrorsNotExceptions(string json)
    {
        Assert.NotEmpty(TestEnv.LoadJson(json).Errors);
    }

    [Fact]
    public void Load_MutatedSccacheExamples_NeverThrow()
    {
        // Deterministic mutations (drop, duplicate or replace one character) of the sccache examples, in both forms.
        var random = new Random(6);
        const string Noise = "=[]{}\".,#\n\\'0-z ";
        var sources = new[] { SccacheExamples.FullToml, SccacheExamples.FirefoxDistClient };
        for (var i = 0; i < 1500; i++)
        {
            var text = sources[i % sources.Length];
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                text = random.Next(3) switch
                {
                    0 => text.Remove(at, 1),
                    1 => text.Insert(at, text[at].ToString()),
                    _ => text.Remove(at, 1).Insert(at, Noise[random.Next(Noise.Length)].ToString()),
                };
            }

            var config = i % 5 == 0 ? TestEnv.LoadJson(text) : TestEnv.Load(text);

            Assert.NotEmpty(config.Storage.Levels);
            Assert.All(config.Errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
        }
    }
}
