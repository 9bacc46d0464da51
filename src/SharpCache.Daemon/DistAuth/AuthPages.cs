using System.Net;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>The small pages the loopback listener shows in the browser.</summary>
internal static class AuthPages
{
    public const string Success = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>sharpcache sign-in</title></head>
        <body><p>sharpcache is signed in for distributed compilation. You can close this tab.</p></body></html>
        """;

    public const string AlreadyFinished = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>sharpcache sign-in</title></head>
        <body><p>This sign-in is already over. You can close this tab.</p></body></html>
        """;

    /// <summary>
    /// The implicit flow's redirect target: the token is in the URL fragment, which browsers never send, so this
    /// page's script posts the fragment back to the listener, then drops it from the address bar.
    /// </summary>
    public const string ImplicitRedirect = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>sharpcache sign-in</title></head>
        <body><p id="message">Handing the sign-in to sharpcache...</p>
        <script>
        var message = document.getElementById('message');
        fetch('/redirect', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: location.hash.slice(1) })
          .then(function (r) { return r.text().then(function (t) { message.textContent = t; }); })
          .catch(function (e) { message.textContent = 'Could not reach sharpcache: ' + e; });
        history.replaceState(null, '', location.pathname);
        </script></body></html>
        """;

    public static string Failure(string reason) => $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>sharpcache sign-in</title></head>
        <body><p>sharpcache sign-in failed: {WebUtility.HtmlEncode(reason)}</p><p>You can close this tab.</p></body></html>
        """;
}
