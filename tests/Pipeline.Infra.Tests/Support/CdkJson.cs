using System.Text.Json;

namespace Pipeline.Infra.Tests.Support;

/// <summary>The committed cdk.json, so tests synthesize with exactly the feature flags the CLI uses.</summary>
public static class CdkJson
{
    private static readonly Lazy<JsonElement> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("cdk.json"))).RootElement.Clone());

    /// <summary>The whole file.</summary>
    public static JsonElement Root => Document.Value;

    /// <summary>The context section with JSON values converted to plain .NET values for jsii.</summary>
    public static Dictionary<string, object> Context()
    {
        var context = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var property in Root.GetProperty("context").EnumerateObject())
        {
            context[property.Name] = ToPlain(property.Value);
        }

        return context;
    }

    private static object ToPlain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => value.EnumerateArray().Select(ToPlain).ToArray(),
        _ => throw new NotSupportedException($"cdk.json context value of kind {value.ValueKind} is not supported by the tests."),
    };
}
