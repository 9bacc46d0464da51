namespace SharpCache.Config.Parsing;

/// <summary>A string, integer, float, boolean or date-time leaf. <see cref="Value"/> is a <c>string</c>, <c>long</c>, <c>double</c>, <c>bool</c> or its text.</summary>
internal sealed class ConfigScalar(object value, int line, int column) : ConfigNode(line, column)
{
    public object Value { get; } = value;

    public override string Describe() => Value switch
    {
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        _ => "a date-time",
    };
}
