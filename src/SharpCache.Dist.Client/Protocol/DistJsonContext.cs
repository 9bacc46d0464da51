using System.Text.Json.Serialization;
using SharpCache.Dist.Auth;

namespace SharpCache.Dist.Protocol;

/// <summary>Source-generated JSON for every protocol message (snake_case, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(AllocJobRequest))]
[JsonSerializable(typeof(AllocJobResponse))]
[JsonSerializable(typeof(JobStateUpdate))]
[JsonSerializable(typeof(JobStateResponse))]
[JsonSerializable(typeof(SchedulerStatus))]
[JsonSerializable(typeof(ToolchainUploadResponse))]
[JsonSerializable(typeof(RunJobRequest))]
[JsonSerializable(typeof(RunJobResult))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(BuildServerStatus))]
[JsonSerializable(typeof(JobTokenClaims))]
public sealed partial class DistJsonContext : JsonSerializerContext;
