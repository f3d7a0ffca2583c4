using System.Globalization;
using System.Text.Json;
using Pipeline.Schema;

namespace Pipeline.Transform.Tests.Support;

/// <summary>Checks a normalised record against the record it came from.</summary>
internal static class Normalisation
{
    private static readonly RecordValidator Validator = new(TelemetrySchema.Definition);

    /// <summary>
    /// Turns normalised JSON back into the input contract (timestamps <c>yyyy-MM-dd HH:mm:ss.fff</c> become ISO-8601
    /// with <c>Z</c>) so the validator can read it again; also returns the property names in order.
    /// </summary>
    public static (byte[] Json, List<string> Names) ToInputContract(string normalised, RecordSchema schema)
    {
        using var document = JsonDocument.Parse(normalised);
        var names = new List<string>();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                names.Add(property.Name);
                if (schema.FindField(property.Name)?.Type == FieldType.Timestamp)
                {
                    var value = DateTime.ParseExact(property.Value.GetString()!, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
                    writer.WriteString(property.Name, value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return (buffer.WrittenSpan.ToArray(), names);
    }

    /// <summary>
    /// Asserts that a normalised record is JSON in schema order without whitespace, re-validates, and holds the
    /// values of the original (timestamps truncated to the millisecond).
    /// </summary>
    public static void AssertSameRecord(RecordValidationResult original, string normalised, RecordSchema? schema = null)
    {
        schema ??= TelemetrySchema.Definition;
        Assert.True(original.IsValid);
        Assert.False(normalised.Any(c => c is '\n' or '\r' or '\t'), normalised);
        var (json, names) = ToInputContract(normalised, schema);
        for (var i = 1; i < names.Count; i++)
        {
            Assert.True(schema.IndexOf(names[i - 1]) < schema.IndexOf(names[i]), normalised);
        }

        var again = (schema == TelemetrySchema.Definition ? Validator : new RecordValidator(schema)).Validate(json, Telemetry.Now);
        if (!again.IsValid)
        {
            Assert.Fail(string.Join(" | ", again.Errors) + " in " + normalised);
        }

        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var expected = original.GetValue(i);
            if (expected.Type == FieldType.Timestamp)
            {
                var ticks = expected.AsTimestamp().UtcTicks;
                expected = FieldValue.FromTimestamp(new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero));
            }

            if (expected != again.GetValue(i))
            {
                Assert.Fail($"{schema.Fields[i].Name}: {expected} became {again.GetValue(i)} in {normalised}");
            }
        }
    }
}
