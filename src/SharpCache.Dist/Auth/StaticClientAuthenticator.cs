namespace SharpCache.Dist.Auth;

/// <summary><c>token</c> and <c>DANGEROUSLY_INSECURE</c>: the bearer must equal one fixed string (compared in constant time).</summary>
internal sealed class StaticClientAuthenticator(string expected) : IClientAuthenticator
{
    public ValueTask<bool> IsAuthorizedAsync(string? bearer, CancellationToken cancellationToken)
        => ValueTask.FromResult(bearer is not null && SharedTokens.Equal(bearer, expected));
}
