using SharpCache.Client;

namespace SharpCache.Tests.Client;

public sealed class KeyRecipeTests
{
    [Fact]
    public void SerializeDeserialize_RoundTripsAwkwardValues()
    {
        var recipe = new KeyRecipe();
        string[] values =
        [
            "plain", "", "tab\there", "new\nline", "back\\slash", "literal \\n not a newline", "literal \\t", "trailing\\",
            "\\", "\\\\", "\t\n\\", "cr\r\nlf", BasedirMapper.Placeholder + "/src/x.c", "unicode é ✓",
        ];
        for (var i = 0; i < values.Length; i++)
        {
            recipe.Add("name" + i, values[i]);
        }

        recipe.Add("arg", "-DA=\"x y\"");
        recipe.Add("arg", "-DA=\"x y\"");

        var back = KeyRecipe.Deserialize(recipe.Serialize());
        Assert.Equal(recipe.Components, back);
    }

    [Fact]
    public void Serialize_IsOneLinePerComponent()
    {
        var recipe = new KeyRecipe();
        recipe.Add("a", "1\n2");
        recipe.Add("b", "x\ty");
        Assert.Equal("a\t1\\n2\nb\tx\\ty\n", recipe.Serialize());
    }

    [Fact]
    public void ComputeKey_DependsOnNamesValuesAndOrder()
    {
        static KeyRecipe Make(params (string Name, string Value)[] parts)
        {
            var r = new KeyRecipe();
            foreach (var (n, v) in parts)
            {
                r.Add(n, v);
            }

            return r;
        }

        var key = Make(("a", "1"), ("b", "2")).ComputeKey();
        Assert.Equal(key, Make(("a", "1"), ("b", "2")).ComputeKey());
        Assert.NotEqual(key, Make(("b", "2"), ("a", "1")).ComputeKey());
        Assert.NotEqual(key, Make(("a", "12"), ("b", "")).ComputeKey());
        Assert.NotEqual(key, Make(("a", "1"), ("c", "2")).ComputeKey());
    }
}
