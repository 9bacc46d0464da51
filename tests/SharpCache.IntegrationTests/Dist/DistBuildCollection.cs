namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// The lua-through-dist tests: one after another (their builds would fight over the CPUs and make the
/// timing checks meaningless) and sharing one <see cref="LuaReference"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DistBuildCollection : ICollectionFixture<LuaReference>
{
    public const string Name = "dist builds";
}
