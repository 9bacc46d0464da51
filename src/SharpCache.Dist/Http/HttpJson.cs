using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Http;

/// <summary>
/// Request/response helpers shared by the scheduler and the build server: every body has a size
/// limit, and malformed or oversized input becomes a 4xx <see cref="ErrorResponse"/> rather than an exception.
/// </summary>
internal static class HttpJson
{
    /// <summary>Sets this request's body limit; false (and a 413 written) if Content-Length already exceeds it.</summary>
    public static async ValueTask<bool> LimitBodyAsync(HttpContext context, long maxBytes)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = maxBytes;
        }

        if (context.Request.ContentLength is { } length && length > maxBytes)
        {
            await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, DistErrorCodes.TooLarge, $"body of {length} bytes exceeds the limit of {maxBytes}").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Reads a JSON body of at most <paramref name="maxBytes"/>; null (and a 4xx written) when it is missing, too large or malformed.</summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, long maxBytes)
        where T : class
    {
        if (!await LimitBodyAsync(context, maxBytes).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted).ConfigureAwait(false);
            if (value is null)
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, DistErrorCodes.BadRequest, "body is JSON null").ConfigureAwait(false);
            }

            return value;
        }
        catch (JsonException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, DistErrorCodes.BadRequest, $"malformed {typeof(T).Name}: {e.Message}").ConfigureAwait(false);
            return null;
        }
        catch (BadHttpRequestException e)
        {
            await ErrorAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? DistErrorCodes.TooLarge : DistErrorCodes.BadRequest, e.Message).ConfigureAwait(false);
            return null;
        }
    }

    public static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task ErrorAsync(HttpContext context, int status, string code, string? detail)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"{code}\"";
        }

        return WriteAsync(context, status, new ErrorResponse(code, detail), DistJsonContext.Default.ErrorResponse);
    }

    /// <summary>The bearer token of the request, or null.</summary>
    public static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header[Prefix.Length..].Trim() : null;
    }
}
