namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>
/// <c>oauth2_implicit</c>: the provider redirects to <c>/redirect#access_token=...&amp;state=...</c>. Browsers keep the
/// fragment to themselves, so <c>GET /redirect</c> serves <see cref="AuthPages.ImplicitRedirect"/>, whose script
/// POSTs the fragment to <c>/redirect</c>; that answer is checked like a code redirect.
/// </summary>
internal sealed class ImplicitFlow(string clientId, string authUrl, string redirectUri, string state) : BrowserFlow(redirectUri, state)
{
    public override string AuthorizeUrl => WithQuery(
        authUrl,
        ("client_id", clientId),
        ("redirect_uri", RedirectUri),
        ("response_type", "token"),
        ("state", State));

    protected override Task<LoopbackResponse> HandleRedirectAsync(LoopbackRequest request, CancellationToken cancellationToken)
    {
        if (request.Method == "GET")
        {
            // Some providers put an error in the query even for fragment responses.
            var query = Parse(request.Query);
            return Task.FromResult(query["error"] is not null && Rejection(query) is { } rejection
                ? Finish(AuthOutcome.Failed(rejection))
                : LoopbackResponse.Html(200, AuthPages.ImplicitRedirect));
        }

        if (request.Method != "POST")
        {
            return Task.FromResult(LoopbackResponse.NotFound);
        }

        if (string.IsNullOrWhiteSpace(request.Body.TrimStart('#')))
        {
            return Task.FromResult(Finish(AuthOutcome.Failed("the identity provider's redirect carried nothing in the URL fragment"), html: false));
        }

        var parameters = Parse(request.Body.TrimStart('#'));
        if (Rejection(parameters) is { } refused)
        {
            return Task.FromResult(Finish(AuthOutcome.Failed(refused), html: false));
        }

        return Task.FromResult(Finish(TokenOutcome(parameters["access_token"], parameters["token_type"], parameters["expires_in"]), html: false));
    }
}
