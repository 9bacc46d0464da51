namespace SharpCache.Dist.Auth;

/// <summary>Checks a client's bearer token on <c>alloc_job</c> (one implementation per <c>client_auth</c> type).</summary>
internal interface IClientAuthenticator
{
    ValueTask<bool> IsAuthorizedAsync(string? bearer, CancellationToken cancellationToken);
}
