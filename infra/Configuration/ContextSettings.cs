using System.Globalization;
using System.Text.Json;
using Pipeline.Infra.Configuration;

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
    /// <param name="appDirectory">
    /// The folder the CLI runs the app from (the one holding cdk.json and cdk.context.json): the CDK does not say which
    /// file a context key came from, so the files there are read to tell. Null skips that.
    /// </param>
    /// <exception cref="ConfigurationException">The context cannot be read or the configuration is invalid.</exception>
    public static PipelineSettings FromEnvironment(Func<string, string?> getEnvironmentVariable, string? appDirectory = null)
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
                throw new ConfigurationException([new ConfigurationError(ConfigurationErrorCode.UnreadableContext, ContextOverflowEnvironmentVariable, overflowPath,
                    $"names a context file that cannot be read ({e.Message}).", "the file the CDK CLI wrote",
                    "run the app through the CDK CLI (npx cdk synth), which writes and removes this file.")]);
            }

            foreach (var (key, value) in ParseContext(overflowPath, overflowJson))
            {
                context[key] = value;
            }
        }

        return Read(context, appDirectory is null ? _ => null : SourceFiles(appDirectory));
    }

    /// <summary>Loads the settings from a merged context; every key is checked, known or not.</summary>
    /// <param name="context">Context values by key, as JSON.</param>
    /// <param name="sourceOf">The file a key is set in, when known (<see cref="SourceFiles"/>).</param>
    /// <exception cref="ConfigurationException">The configuration is invalid.</exception>
    public static PipelineSettings Read(IReadOnlyDictionary<string, JsonElement> context, Func<string, string?>? sourceOf = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in PipelineSettingsLoader.KnownKeys)
        {
            values[key] = context.TryGetValue(key, out var value) ? ToInvariantString(value) : null;
        }

        var details = new ContextDetails
        {
            // A key present with null is not "not set": the CLI writes null for cdk.json's 1e400 (JSON.stringify(Infinity)).
            NullKeys = context.Where(p => p.Value.ValueKind == JsonValueKind.Null).Select(p => p.Key).ToHashSet(StringComparer.Ordinal),
            NestedKeys = context.Where(p => p.Value.ValueKind == JsonValueKind.Object)
                .ToDictionary(p => p.Key, p => (IReadOnlyList<string>)FlatKeys(p.Key, p.Value).ToList(), StringComparer.Ordinal),
            SourceOf = sourceOf ?? (_ => null),
        };
        return PipelineSettingsLoader.Load(values, context.Keys, details);
    }

    /// <summary>The flat keys a nested object's leaves stand for: <c>{"training": {"instanceType": …}}</c> gives training.instanceType.</summary>
    private static IEnumerable<string> FlatKeys(string path, JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().SelectMany(p => FlatKeys($"{path}.{p.Name}", p.Value))
            : [path];

    /// <summary>
    /// Which file of the app folder sets a key: cdk.context.json (which the CLI also merges into the context, and where
    /// <c>cdk context</c> and lookups write) first, then the "context" of cdk.json. The CLI does not pass the origin of a
    /// key, so the files are read; a file that is missing or not JSON tells nothing.
    /// </summary>
    internal static Func<string, string?> SourceFiles(string appDirectory)
    {
        var contextFile = TopLevelKeys(Path.Combine(appDirectory, "cdk.context.json"), null);
        var cdkJson = TopLevelKeys(Path.Combine(appDirectory, "cdk.json"), "context");
        return key => contextFile.Contains(key) ? "cdk.context.json" : cdkJson.Contains(key) ? "cdk.json" : null;
    }

    private static HashSet<string> TopLevelKeys(string file, string? property)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            if (property is not null && root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var inner))
            {
                root = inner;
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                keys.UnionWith(root.EnumerateObject().Select(p => p.Name));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Missing or unreadable: the origin of a key stays unknown, which only changes the wording of a message.
        }

        return keys;
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
            throw new ConfigurationException([new ConfigurationError(ConfigurationErrorCode.UnreadableContext, source, null,
                $"is not a JSON object of context values ({e.Message}).", "the JSON object the CDK CLI writes",
                "run the app through the CDK CLI (npx cdk synth), or pass a JSON object such as {\"profile\":\"sandbox\"}.")]);
        }

        return context;
    }
}
