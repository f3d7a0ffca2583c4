using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Pipeline.Training.Athena;
using Pipeline.Training.Drift;

namespace Pipeline.Training;

/// <summary>
/// How the documents of a training run and a drift window are written: the shape is the records'
/// (<see cref="TrainingJsonContext"/>, <see cref="AwsJsonContext"/>), the format is this class's. Relaxed escaping
/// because the documents are read by people and tools, never embedded in HTML: quotes in SQL and reasons stay readable.
/// </summary>
internal static class TrainingJson
{
    private static readonly JsonWriterOptions DocumentOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A document stored in the lake: indented, for people.</summary>
    public static byte[] Document<T>(T value, JsonTypeInfo<T> type) => Write(value, type, DocumentOptions);

    /// <summary>One line: compact (a log line, a small document).</summary>
    public static byte[] Line<T>(T value, JsonTypeInfo<T> type) => Write(value, type, LineOptions);

    /// <summary>Reads an AWS API document; a wrong shape is a <see cref="FormatException"/> naming the document and the path.</summary>
    public static T ReadApiDocument<T>(JsonElement element, JsonTypeInfo<T> type, string what)
        where T : class
    {
        try
        {
            return element.Deserialize(type) ?? throw new FormatException($"{what} must be a JSON object; it is null.");
        }
        catch (JsonException ex)
        {
            throw Unreadable(what, ex);
        }
    }

    /// <inheritdoc cref="ReadApiDocument{T}(JsonElement, JsonTypeInfo{T}, string)"/>
    public static T ReadApiDocument<T>(string json, JsonTypeInfo<T> type, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new FormatException($"{what} must be a JSON object; it is null.");
        }
        catch (JsonException ex)
        {
            throw Unreadable(what, ex);
        }
    }

    private static FormatException Unreadable(string what, JsonException ex) =>
        new($"{what} does not have the documented shape at {ex.Path ?? "$"}: {ex.Message}", ex);

    private static byte[] Write<T>(T value, JsonTypeInfo<T> type, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The documents this library writes and reads, in camelCase; reading refuses a missing or null member.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(ModelQualityStatistics))]
[JsonSerializable(typeof(DriftReportJson))]
[JsonSerializable(typeof(DriftBaselineJson))]
internal sealed partial class TrainingJsonContext : JsonSerializerContext;

/// <summary>
/// The AWS shapes this library reads and writes with their own (PascalCase) names: SageMaker and Athena API responses,
/// and CloudWatch's embedded metric format, whose dimension and metric values are members named after them.
/// </summary>
[JsonSerializable(typeof(DescribeTrainingJobJson))]
[JsonSerializable(typeof(DescribeModelPackageJson))]
[JsonSerializable(typeof(ResultSetJson))]
[JsonSerializable(typeof(MetricLineJson))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(double))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
