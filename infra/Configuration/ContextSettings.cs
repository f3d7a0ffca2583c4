using System.Globalization;
using System.Text.Json;
using Constructs;
using Pipeline.Core.Configuration;

namespace Pipeline.Infra.Configuration;

/// <summary>Reads the pipeline configuration from CDK context (cdk.json and <c>-c key=value</c>). Called once, by Program.cs.</summary>
internal static class ContextSettings
{
    /// <summary>The environment variable through which the CDK CLI hands the merged context to the app.</summary>
    internal const string ContextEnvironmentVariable = "CDK_CONTEXT_JSON";

    /// <summary>Reads every known key from the app's context and loads the settings.</summary>
    /// <exception cref="ConfigurationException">The configuration is invalid.</exception>
    public static PipelineSettings Read(Node node, string? contextJson)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in PipelineSettingsLoader.KnownKeys)
        {
            values[key] = ToInvariantString(node.TryGetContext(key));
        }

        return PipelineSettingsLoader.Load(values, KeysOf(contextJson));
    }

    /// <summary>Context values arrive as strings from the command line and as JSON values from cdk.json.</summary>
    internal static string? ToInvariantString(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// The keys of the merged context the CLI passes, so misspelt keys (e.g. <c>stream.retentionHour</c>) are reported
    /// instead of silently ignored. Null when the app does not run under the CLI.
    /// </summary>
    internal static IReadOnlyList<string>? KeysOf(string? contextJson)
    {
        if (string.IsNullOrWhiteSpace(contextJson))
        {
            return null;
        }

        using var document = JsonDocument.Parse(contextJson);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? [.. document.RootElement.EnumerateObject().Select(p => p.Name)]
            : null;
    }
}
