using System.Text.Json.Serialization;

namespace Pipeline.Lambda.Runtime;

/// <summary>
/// An error in Lambda's standard error shape, as posted to the Runtime API's error paths and written to the log:
/// <c>{"errorMessage":…,"errorType":…,"stackTrace":[…]}</c>. The type is the exception's short type name, as the
/// managed .NET runtime reports it, and is also sent in the <c>Lambda-Runtime-Function-Error-Type</c> header.
/// </summary>
internal sealed class LambdaError
{
    public LambdaError(string errorType, string errorMessage, IReadOnlyList<string> stackTrace)
    {
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        StackTrace = stackTrace;
    }

    // Declared in the order of the JSON shape.
    public string ErrorMessage { get; }

    public string ErrorType { get; }

    public IReadOnlyList<string> StackTrace { get; }

    /// <summary>The error for an exception: its type name, message and stack frames (one "at …" line each).</summary>
    public static LambdaError From(Exception exception)
    {
        var frames = (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LambdaError(exception.GetType().Name, exception.Message, frames);
    }

    /// <summary>The error as the Runtime API's request body (UTF-8 JSON).</summary>
    public byte[] ToJson() => RuntimeJson.Write(this, RuntimeJsonContext.Default.LambdaError);
}

/// <summary>A log entry the runtime writes itself: a failure carries the error's three fields after the message.</summary>
internal sealed record RuntimeLogEntry(string Level, string Message, string? ErrorMessage, string? ErrorType, IReadOnlyList<string>? StackTrace)
{
    public RuntimeLogEntry(string level, string message, LambdaError? error)
        : this(level, message, error?.ErrorMessage, error?.ErrorType, error?.StackTrace)
    {
    }
}

/// <summary>The error body the Runtime API answers a refused call with (only its message is read).</summary>
internal sealed record ErrorResponse(string? ErrorMessage);

/// <summary>The runtime's JSON: camelCase, absent rather than null.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LambdaError))]
[JsonSerializable(typeof(RuntimeLogEntry))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
