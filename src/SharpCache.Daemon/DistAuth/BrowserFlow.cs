using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Web;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>
/// One OAuth2 browser flow (sccache's <c>dist/client_auth.rs</c>): the authorize URL the browser opens (the configured
/// <c>auth_url</c>, its own query kept, plus the flow's parameters), and the handling of what the browser brings back
/// to the loopback listener. <c>GET /</c> redirects to the authorize URL, so <see cref="LoopbackListener.StartUrl"/>
/// works as a short link. Every redirect is checked for the <c>state</c> first, then for an OAuth2 <c>error</c>.
/// </summary>
internal abstract class BrowserFlow(string redirectUri, string state)
{
    protected string RedirectUri { get; } = redirectUri;

    protected string State { get; } = state;

    /// <summary>The URL the browser opens.</summary>
    public abstract string AuthorizeUrl { get; }

    /// <summary>Set once the flow is decided (with the response that carries <see cref="LoopbackResponse.Finished"/>).</summary>
    public AuthOutcome? Outcome { get; private set; }

    public async Task<LoopbackResponse> HandleAsync(LoopbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is { Method: "GET", Path: "/" })
        {
            return LoopbackResponse.Redirect(AuthorizeUrl);
        }

        return request.Path == "/redirect"
            ? await HandleRedirectAsync(request, cancellationToken).ConfigureAwait(false)
            : LoopbackResponse.NotFound;
    }

    protected abstract Task<LoopbackResponse> HandleRedirectAsync(LoopbackRequest request, CancellationToken cancellationToken);

    /// <summary><paramref name="baseUrl"/> with <paramref name="parameters"/> appended to its query.</summary>
    protected static string WithQuery(string baseUrl, params (string Name, string Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var fragment = baseUrl.IndexOf('#', StringComparison.Ordinal);
        var url = new StringBuilder(fragment < 0 ? baseUrl : baseUrl[..fragment]);
        var separator = url.ToString().Contains('?', StringComparison.Ordinal) ? (url[^1] is '?' or '&' ? "" : "&") : "?";
        foreach (var (name, value) in parameters)
        {
            url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = "&";
        }

        return url.ToString();
    }

    protected static NameValueCollection Parse(string query) => HttpUtility.ParseQueryString(query);

    /// <summary>The state and error checks every redirect passes; null when the redirect may go on.</summary>
    protected string? Rejection(NameValueCollection parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters["state"] != State)
        {
            return "the sign-in redirect carried the wrong state (a stale tab, or a redirect not started by this sharpcache)";
        }

        if (parameters["error"] is { } error)
        {
            var description = parameters["error_description"];
            return $"the identity provider refused the sign-in: {OneLine(error)}" + (description is null ? "" : $" ({OneLine(description)})");
        }

        return null;
    }

    /// <summary>Decides the flow: records <paramref name="outcome"/> and answers the browser accordingly.</summary>
    protected LoopbackResponse Finish(AuthOutcome outcome, bool html = true)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Outcome = outcome;
        var status = outcome.Error is null ? 200 : 400;
        return html
            ? LoopbackResponse.Html(status, outcome.Error is null ? AuthPages.Success : AuthPages.Failure(outcome.Error), finished: true)
            : new LoopbackResponse(status, "text/plain; charset=utf-8", outcome.Error is null
                ? "sharpcache is signed in for distributed compilation. You can close this tab.\n"
                : "sharpcache sign-in failed: " + outcome.Error + "\n", Finished: true);
    }

    /// <summary>
    /// sccache's check of a token answer: <c>token_type</c> must be <c>bearer</c> (any case); <c>expires_in</c> (seconds) is
    /// optional here (sccache requires it; some providers leave it out).
    /// </summary>
    protected static AuthOutcome TokenOutcome(string? accessToken, string? tokenType, string? expiresIn)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return AuthOutcome.Failed("the identity provider's answer has no access_token");
        }

        if (!string.Equals(tokenType, "bearer", StringComparison.OrdinalIgnoreCase))
        {
            return AuthOutcome.Failed($"the identity provider's token_type is '{OneLine(tokenType ?? "")}', not 'bearer'");
        }

        TimeSpan? lifetime = double.TryParse(expiresIn, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
        return new AuthOutcome(accessToken, null, lifetime);
    }

    /// <summary>Provider-supplied text made safe for one line of a terminal: no control characters, at most 200 characters.</summary>
    protected static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        return clean.Length > 200 ? clean[..200] + "..." : clean;
    }
}
