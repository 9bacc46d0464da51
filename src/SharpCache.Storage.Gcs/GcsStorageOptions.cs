namespace SharpCache.Storage.Gcs;

/// <summary>
/// Settings of the Google Cloud Storage tier, as sccache's <c>[cache.gcs]</c> and <c>SCCACHE_GCS_*</c>.
/// Defaults live here; note <see cref="ReadOnly"/> defaults to true, as sccache's GCS does. To add a
/// setting: add an <c>init</c> property with its default, apply it in <see cref="GcsStorage.Create"/>,
/// and map it from the config in the daemon.
/// </summary>
public sealed record GcsStorageOptions
{
    /// <summary><c>bucket</c> / <c>SCCACHE_GCS_BUCKET</c>. It must exist.</summary>
    public required string Bucket { get; init; }

    /// <summary>Object name prefix (<c>key_prefix</c>, <c>SCCACHE_GCS_KEY_PREFIX</c>); leading and trailing slashes are ignored.</summary>
    public string KeyPrefix { get; init; } = string.Empty;

    /// <summary>
    /// <c>rw_mode</c> / <c>SCCACHE_GCS_RW_MODE</c>: true (the default, as sccache) never writes; set false
    /// for <c>READ_WRITE</c>.
    /// </summary>
    public bool ReadOnly { get; init; } = true;

    /// <summary>
    /// <c>cred_path</c> / <c>SCCACHE_GCS_KEY_PATH</c>: a service-account (or external-account) JSON key file.
    /// Unset: Application Default Credentials (<c>GOOGLE_APPLICATION_CREDENTIALS</c>, gcloud's well-known
    /// file, the VM metadata server), unless <see cref="Anonymous"/>.
    /// </summary>
    public string? CredentialsPath { get; init; }

    /// <summary>No credentials at all (public buckets, emulators). Ignored when <see cref="CredentialsPath"/> is set.</summary>
    public bool Anonymous { get; init; }

    /// <summary>
    /// The JSON API's base URI, e.g. <c>http://127.0.0.1:4443/storage/v1/</c> for an emulator; uploads go to
    /// the same host under <c>/upload/storage/v1/</c>. Unset: Google's endpoint.
    /// </summary>
    public Uri? BaseUri { get; init; }

    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
