using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Schema;

namespace Pipeline.Transform.Tests.Support;

/// <summary>What a record should come to, decided without the validator: <see cref="JsonDocument"/> and plain checks of <see cref="TelemetrySchema.Definition"/>'s rules.</summary>
/// <param name="Errors">The expected (field, code) pairs in order; an unknown field's name is null (it is echoed as written).</param>
/// <param name="Normalised">The expected normalised fields (name and raw JSON value, in schema order) of a valid record.</param>
internal sealed record Expectation(List<(string? Field, string Code)> Errors, List<(string Name, string Value)> Normalised)
{
    private static readonly RecordSchema Schema = TelemetrySchema.Definition;
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private static readonly Regex Timestamp = new(
        @"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:Z|([+-])([0-9]{2}):([0-9]{2}))\z", RegexOptions.CultureInvariant);

    public bool IsValid => Errors.Count == 0;

    public static Expectation Of(byte[] record, DateTimeOffset now)
    {
        var errors = new List<(string? Field, string Code)>();
        var seen = new HashSet<string>();
        var values = new Dictionary<string, string>();
        JsonDocument document;
        try
        {
            StrictUtf8.GetString(record);
            document = record.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])
                ? throw new JsonException("byte-order mark")
                : JsonDocument.Parse(record, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            return new([(null, "InvalidJson")], []);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new([(null, "NotAnObject")], []);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var field = NameOf(property) is { } name ? Schema.FindField(name) : null;
                if (field is null)
                {
                    errors.Add((null, "UnknownField"));
                }
                else if (!seen.Add(field.Name))
                {
                    errors.Add((field.Name, "DuplicateField"));
                }
                else if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    errors.AddRange(field.Required ? [(field.Name, "MissingField")] : []);
                }
                else if (Check(field, property.Value, now, out var normalised) is { } code)
                {
                    errors.Add((field.Name, code));
                }
                else
                {
                    values[field.Name] = normalised;
                }
            }
        }

        errors.AddRange(Schema.Fields.Where(f => f.Required && !seen.Contains(f.Name)).Select(f => ((string?)f.Name, "MissingField")));
        errors = errors.Count > 50 ? [.. errors.Take(50), (null, "TooManyErrors")] : errors;
        return new(errors, [.. Schema.Fields.Where(f => values.ContainsKey(f.Name)).Select(f => (f.Name, values[f.Name]))]);
    }

    private static string? NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null; // an unpaired surrogate escape: not the name of a field
        }
    }

    /// <summary>The error code of a present, non-null value, or null with the value as the normalised record holds it.</summary>
    private static string? Check(FieldDefinition field, JsonElement value, DateTimeOffset now, out string normalised)
    {
        normalised = value.GetRawText();
        switch (field.Type, value.ValueKind)
        {
            case (FieldType.String or FieldType.Timestamp, JsonValueKind.String):
                string text;
                try
                {
                    text = value.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return "InvalidUnicode";
                }

                if (field.Type == FieldType.Timestamp)
                {
                    return CheckTimestamp(text, now, out normalised);
                }

                var length = text.EnumerateRunes().Count();
                return length < (field.MinLength ?? 0) ? "TooShort"
                    : length > (field.MaxLength ?? int.MaxValue) ? "TooLong"
                    : field.Pattern is { } pattern && !Regex.IsMatch(text, pattern.TrimEnd('$') + @"\z") ? "PatternMismatch"
                    : field.AllowedValues is { } allowed && !allowed.Contains(text) ? "ValueNotAllowed"
                    : null;
            case (FieldType.Long, JsonValueKind.Number):
                return !Regex.IsMatch(normalised, @"^-?(0|[1-9][0-9]*)\z") || !long.TryParse(normalised, CultureInfo.InvariantCulture, out var integer) ? "WrongType"
                    : integer < field.Minimum || integer > field.Maximum ? "OutOfRange"
                    : null;
            case (FieldType.Double, JsonValueKind.Number):
                var number = double.Parse(normalised, CultureInfo.InvariantCulture);
                return !double.IsFinite(number) ? "WrongType"
                    : number < field.Minimum || number > field.Maximum ? "OutOfRange"
                    : null;
            case (FieldType.Boolean, JsonValueKind.True or JsonValueKind.False):
                return null;
            default:
                return "WrongType";
        }
    }

    private static string? CheckTimestamp(string text, DateTimeOffset now, out string normalised)
    {
        normalised = string.Empty;
        var match = Timestamp.Match(text);
        if (!match.Success)
        {
            return "InvalidTimestamp";
        }

        int Part(int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        var zoned = match.Groups[8].Success;
        if (zoned && Part(10) > 59)
        {
            return "InvalidTimestamp";
        }

        DateTimeOffset time;
        try
        {
            var offset = zoned ? (match.Groups[8].Value == "-" ? -1 : 1) * new TimeSpan(Part(9), Part(10), 0) : TimeSpan.Zero;
            var ticks = long.Parse(match.Groups[7].Value.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
            time = new DateTimeOffset(Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), offset).AddTicks(ticks);
        }
        catch (ArgumentException)
        {
            return "InvalidTimestamp";
        }

        if (time < Schema.EarliestEventTime || time > now + Schema.MaxFutureSkew)
        {
            return "EventTimeOutOfWindow";
        }

        normalised = "\"" + time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "\"";
        return null;
    }
}
