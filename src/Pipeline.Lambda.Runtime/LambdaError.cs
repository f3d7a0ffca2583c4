using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Lambda.Runtime;

/// <summary>
/// An error in Lambda's standard error shape, as posted to the Runtime API's error paths and written to the log:
/// <c>{"errorMessage":…,"errorType":…,"stackTrace":[…]}</c>. The type is the exception's short type name, as the
/// managed .NET runtime reports it, and is also sent in the <c>Lambda-Runtime-Function-Error-Type</c> header.
/// </summary>
internal sealed class LambdaError
{
    internal static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public LambdaError(string errorType, string errorMessage, IReadOnlyList<string> stackTrace)
    {
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        StackTrace = stackTrace;
    }

    public string ErrorType { get; }

    public string ErrorMessage { get; }

    public IReadOnlyList<string> StackTrace { get; }

    /// <summary>The error for an exception: its type name, message and stack frames (one "at …" line each).</summary>
    public static LambdaError From(Exception exception)
    {
        var frames = (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LambdaError(exception.GetType().Name, exception.Message, frames);
    }

    /// <summary>The three standard properties, written into an object the caller has started.</summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString("errorMessage"u8, ErrorMessage);
        writer.WriteString("errorType"u8, ErrorType);
        writer.WriteStartArray("stackTrace"u8);
        foreach (var frame in StackTrace)
        {
            writer.WriteStringValue(frame);
        }

        writer.WriteEndArray();
    }

    /// <summary>The error as the Runtime API's request body (UTF-8 JSON).</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            WriteProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
