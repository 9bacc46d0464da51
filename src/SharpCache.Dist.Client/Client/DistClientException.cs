using System.Net;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Client;

/// <summary>
/// A scheduler or build server answered with an error (or not at all). <see cref="Error"/> is the
/// server's <see cref="ErrorResponse"/> when it sent one. Every case means "compile locally";
/// <see cref="IsConfigurationError"/> says the client's setup is wrong (401/400) and should be reported.
/// </summary>
public sealed class DistClientException : Exception
{
    public DistClientException()
    {
    }

    public DistClientException(string message) : base(message)
    {
    }

    public DistClientException(string message, Exception inner) : base(message, inner)
    {
    }

    public DistClientException(HttpStatusCode? status, ErrorResponse? error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Error = error;
    }

    public HttpStatusCode? Status { get; }

    public ErrorResponse? Error { get; }

    public bool IsConfigurationError => Status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest;
}
