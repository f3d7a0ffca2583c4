using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Lambda.Storage;

/// <summary>What the functions write as JSON: their responses and their log lines (one object per line).</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A response: one JSON object with the fields <paramref name="writeFields"/> writes, ready to read.</summary>
    public static MemoryStream Response(Action<Utf8JsonWriter> writeFields)
    {
        var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            writeFields(json);
            json.WriteEndObject();
        }

        output.Position = 0;
        return output;
    }

    /// <summary>Writes one log line: a JSON object with <c>level</c>, <c>message</c> and the given fields.</summary>
    public static void LogLine(TextWriter log, string level, string message, Action<Utf8JsonWriter> writeFields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("level", level);
            json.WriteString("message", message);
            writeFields(json);
            json.WriteEndObject();
        }

        log.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
