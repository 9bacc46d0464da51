using System.Text.Json;
using Google.Apis.Auth.OAuth2;

namespace SharpCache.Storage.Gcs;

/// <summary>
/// Loads <c>cred_path</c>: a service-account or external-account JSON key (the two kinds sccache takes).
/// The type is checked before the file is used, as Google's guidance for key files from configuration asks.
/// </summary>
internal static class GcsKeyFile
{
    public static GoogleCredential Load(string path)
    {
        string type;
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            type = document.RootElement.TryGetProperty("type", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ArgumentException($"GCS key file '{path}' cannot be read: {e.Message}", nameof(path), e);
        }

        if (type is not (JsonCredentialParameters.ServiceAccountCredentialType or JsonCredentialParameters.ExternalAccountCredentialType))
        {
            throw new ArgumentException(
                $"GCS key file '{path}' has type '{type}'; expected '{JsonCredentialParameters.ServiceAccountCredentialType}' or '{JsonCredentialParameters.ExternalAccountCredentialType}'",
                nameof(path));
        }

        try
        {
            return CredentialFactory.FromFile(path, type);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException or ArgumentException or JsonException)
        {
            throw new ArgumentException($"GCS key file '{path}' is not a valid {type} key: {e.Message}", nameof(path), e);
        }
    }
}
