using SharpCache.Core.Processes;
using SharpCache.Storage;

namespace SharpCache.Client;

/// <summary>A computed key, or the failed preprocessor run that prevented one.</summary>
internal sealed record KeyResult(CacheKey? Key, ProcessResult? PreprocessorFailure);
