using System.Net.Http.Headers;
using System.Text.Json;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>
/// <c>oauth2_code_grant_pkce</c> (and <c>mozilla</c>): the browser brings a <c>code</c> to <c>/redirect</c>, which is
/// exchanged at <c>token_url</c> (form POST: <c>grant_type=authorization_code</c>, <c>client_id</c>,
/// <c>code_verifier</c>, <c>code</c>, <c>redirect_uri</c>) for the access token before the browser is answered.
/// </summary>
internal sealed class PkceFlow(string clientId, string authUrl, Uri tokenUrl, string redirectUri, string state, HttpClient http)
    : BrowserFlow(redirectUri, state)
{
    private readonly string _verifier = Pkce.NewVerifier();

    public override string AuthorizeUrl => WithQuery(
        authUrl,
        ("client_id", clientId),
        ("code_challenge", Pkce.Challenge(_verifier)),
        ("code_challenge_method", "S256"),
        ("redirect_uri", RedirectUri),
        ("response_type", "code"),
        ("state", State));

    protected override async Task<LoopbackResponse> HandleRedirectAsync(LoopbackRequest request, CancellationToken cancellationToken)
    {
        if (request.Method != "GET")
        {
            return LoopbackResponse.NotFound;
        }

        var parameters = Parse(request.Query);
        if (Rejection(parameters) is { } rejection)
        {
            return Finish(AuthOutcome.Failed(rejection));
        }

        if (string.IsNullOrEmpty(parameters["code"]))
        {
            return Finish(AuthOutcome.Failed("the sign-in redirect carried no code"));
        }

        return Finish(await ExchangeAsync(parameters["code"]!, cancellationToken).ConfigureAwait(false));
    }

    private async Task<AuthOutcome> ExchangeAsync(string code, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"),
            new("client_id", clientId),
            new("code_verifier", _verifier),
            new("code", code),
            new("redirect_uri", RedirectUri),
        ]);
        using var message = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = form };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return AuthOutcome.Failed($"the token endpoint {tokenUrl} answered HTTP {(int)response.StatusCode}" + ErrorDetail(body));
            }

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var expiresIn = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("expires_in", out var e) ? e.ToString() : null;
            return TokenOutcome(Text(root, "access_token"), Text(root, "token_type"), expiresIn);
        }
        catch (JsonException)
        {
            return AuthOutcome.Failed($"the token endpoint {tokenUrl} did not answer JSON");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return AuthOutcome.Failed($"cannot reach the token endpoint {tokenUrl}: {OneLine(e.Message)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AuthOutcome.Failed($"the token endpoint {tokenUrl} did not answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>": error (description)" from an OAuth2 error answer; empty when the body is not one.</summary>
    private static string ErrorDetail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var error = Text(json.RootElement, "error");
            var description = Text(json.RootElement, "error_description");
            return error is null ? "" : $": {OneLine(error)}" + (description is null ? "" : $" ({OneLine(description)})");
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
