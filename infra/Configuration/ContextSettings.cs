using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Configuration;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// Reads the pipeline configuration from CDK context (cdk.json and <c>-c key=value</c>) the way the CDK CLI hands it to
/// the app: as JSON in an environment variable, plus an overflow file when the context is too large for it. Reading it
/// directly, before <c>new App()</c>, means an invalid configuration fails without starting the jsii kernel.
/// Called once, by Program.cs.
/// </summary>
internal static class ContextSettings
{
    /// <summary>The environment variable through which the CDK CLI hands the merged context to the app.</summary>
    internal const string ContextEnvironmentVariable = "CDK_CONTEXT_JSON";

    /// <summary>
    /// The environment variable naming a JSON file with the part of the context that did not fit into
    /// <see cref="ContextEnvironmentVariable"/> (the CLI splits the context above 128 KiB, 32 KiB on Windows).
    /// </summary>
    internal const string ContextOverflowEnvironmentVariable = "CONTEXT_OVERFLOW_LOCATION_ENV";

    /// <summary>Reads the context the CLI passed to this process and loads the settings.</summary>
    /// <param name="getEnvironmentVariable">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <exception cref="ConfigurationException">The context cannot be read or the configuration is invalid.</exception>
    public static PipelineSettings FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var context = ParseContext(ContextEnvironmentVariable, getEnvironmentVariable(ContextEnvironmentVariable));
        if (getEnvironmentVariable(ContextOverflowEnvironmentVariable) is { Length: > 0 } overflowPath)
        {
            string overflowJson;
            try
            {
                overflowJson = File.ReadAllText(overflowPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException([new ConfigurationError(ContextOverflowEnvironmentVariable, overflowPath,
                    $"names a context file that cannot be read ({e.Message}).", "the file the CDK CLI wrote",
                    "run the app through the CDK CLI (npx cdk synth), which writes and removes this file.")]);
            }

            foreach (var (key, value) in ParseContext(overflowPath, overflowJson))
            {
                context[key] = value;
            }
        }

        return Read(context);
    }

    /// <summary>Loads the settings from a merged context; every key is checked, known or not.</summary>
    /// <param name="context">Context values by key, as JSON.</param>
    /// <exception cref="ConfigurationException">The configuration is invalid.</exception>
    public static PipelineSettings Read(IReadOnlyDictionary<string, JsonElement> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in PipelineSettingsLoader.KnownKeys)
        {
            values[key] = context.TryGetValue(key, out var value) ? ToInvariantString(value) : null;
        }

        return PipelineSettingsLoader.Load(values, context.Keys);
    }

    /// <summary>
    /// Context values arrive as strings from the command line and as JSON values from cdk.json. Numbers are formatted as
    /// the doubles jsii used to hand over (<c>1.0</c> reads as <c>1</c>), so valid input loads as before.
    /// </summary>
    internal static string? ToInvariantString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => number.ToString(CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    /// <summary>
    /// Parses one JSON object of context. No JSON (the app run without the CLI) is an empty context, as
    /// <c>new App()</c> would see it.
    /// </summary>
    internal static Dictionary<string, JsonElement> ParseContext(string source, string? json)
    {
        var context = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return context;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"the root is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                context[property.Name] = property.Value.Clone();
            }
        }
        catch (JsonException e)
        {
            throw new ConfigurationException([new ConfigurationError(source, null,
                $"is not a JSON object of context values ({e.Message}).", "the JSON object the CDK CLI writes",
                "run the app through the CDK CLI (npx cdk synth), or pass a JSON object such as {\"profile\":\"sandbox\"}.")]);
        }

        return context;
    }
}
