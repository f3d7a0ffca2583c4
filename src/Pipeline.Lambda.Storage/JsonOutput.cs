using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.Lambda.Storage;

/// <summary>
/// What the functions write as JSON: their responses and their log lines (one object per line). The shape is the
/// record's (a source-generated <see cref="JsonTypeInfo{T}"/>), the format is this class's: compact, relaxed escaping
/// (the output goes to Step Functions and CloudWatch, never into HTML).
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A response: <paramref name="value"/> as one JSON object, ready to read.</summary>
    public static MemoryStream Response<T>(T value, JsonTypeInfo<T> type)
    {
        var output = new MemoryStream();
        Write(output, value, type);
        output.Position = 0;
        return output;
    }

    /// <summary>Writes one log line: <paramref name="entry"/>, <c>level</c>, <c>message</c> and <c>event</c> first.</summary>
    public static void LogLine<T>(TextWriter log, T entry, JsonTypeInfo<T> type)
        where T : LogEntry
    {
        using var buffer = new MemoryStream();
        Write(buffer, entry, type);
        log.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void Write<T>(Stream output, T value, JsonTypeInfo<T> type)
    {
        using var writer = new Utf8JsonWriter(output, Options);
        JsonSerializer.Serialize(writer, value, type);
    }
}

/// <summary>
/// A log line's first fields: the two Lambda's log-level filtering and CloudWatch Logs Insights read, and the event's
/// name to query by; each event's record adds its own fields after them.
/// </summary>
/// <param name="Level">INFO, WARN or ERROR.</param>
/// <param name="Message">A sentence for a person.</param>
/// <param name="Event">The event's name, e.g. <c>training_run_planned</c>.</param>
internal abstract record LogEntry(
    [property: JsonPropertyOrder(-3)] string Level,
    [property: JsonPropertyOrder(-2)] string Message,
    [property: JsonPropertyOrder(-1)] string Event);
