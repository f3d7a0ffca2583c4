using System.Globalization;
using System.Text.Json;

namespace Pipeline.Lambda.Storage;

/// <summary>Reads the fields of an invocation event; every problem is an <see cref="InvalidEventException"/> naming the field.</summary>
internal static class EventJson
{
    public static JsonDocument Parse(Stream input, string expected)
    {
        try
        {
            var document = JsonDocument.Parse(input);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                var kind = document.RootElement.ValueKind;
                document.Dispose();
                throw new InvalidEventException($"The event is a JSON {Kind(kind)}; expected {expected}.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new InvalidEventException($"The event is not valid JSON ({ex.Message}); expected {expected}.", ex);
        }
    }

    /// <summary>
    /// The event's <c>action</c> as text (a member of another kind as its JSON, so the refusal can show it), or null
    /// when there is none: the functions with several actions dispatch on it.
    /// </summary>
    public static string? Action(JsonElement root) =>
        Optional(root, "action") is { } value ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    /// <summary>The property, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement RequiredObject(JsonElement parent, string path, string name, string expected) =>
        OptionalObject(parent, path, name, expected)
            ?? throw new InvalidEventException($"{Path(path, name)} is missing; expected {expected}.");

    public static JsonElement? OptionalObject(JsonElement parent, string path, string name, string expected)
    {
        if (Optional(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new InvalidEventException($"{Path(path, name)} is a JSON {Kind(value.ValueKind)}; expected {expected}.");
    }

    public static string RequiredString(JsonElement parent, string path, string name, string expected) =>
        OptionalString(parent, path, name, expected) is { Length: > 0 } text
            ? text
            : throw new InvalidEventException($"{Path(path, name)} is missing or empty; expected {expected}.");

    public static string? OptionalString(JsonElement parent, string path, string name, string expected)
    {
        if (Optional(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidEventException($"{Path(path, name)} is a JSON {Kind(value.ValueKind)}; expected {expected}.");
    }

    /// <summary>An object of string values (a JSON number is taken as its text); null when absent.</summary>
    public static Dictionary<string, string>? OptionalStringMap(JsonElement parent, string name)
    {
        if (OptionalObject(parent, string.Empty, name, "an object of string values") is not { } map)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => throw new InvalidEventException(
                    $"{name}.{property.Name} is a JSON {Kind(property.Value.ValueKind)}; expected a string value such as \"5\"."),
            };
        }

        return result;
    }

    /// <summary>A <c>yyyy-MM-dd</c> date, or null when absent.</summary>
    public static DateOnly? OptionalDate(JsonElement parent, string path, string name)
    {
        const string Expected = "a date as yyyy-MM-dd, e.g. 2026-11-01";
        if (OptionalString(parent, path, name, Expected) is not { } text)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidEventException($"{Path(path, name)} is '{text}'; expected {Expected}.");
    }

    public static string Path(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };
}
