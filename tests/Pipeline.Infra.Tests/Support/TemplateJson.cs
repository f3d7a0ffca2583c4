using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Support;

/// <summary>
/// Read-only JSON view of a synthesized template, for exact assertions on whole documents (key policies, IAM and
/// endpoint policies) written as JSON literals that read like the template itself.
/// </summary>
public sealed class TemplateJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Parses a template.</summary>
    public TemplateJson(string json)
    {
        Root = JsonNode.Parse(json)!.AsObject();
    }

    /// <summary>The template.</summary>
    public JsonObject Root { get; }

    /// <summary>Synthesizes a small test stack (of its own app) and reads its template file.</summary>
    public static TemplateJson FromStack(Amazon.CDK.Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var assembly = ((Amazon.CDK.App)stack.Node.Root).Synth();
        return new TemplateJson(File.ReadAllText(assembly.GetStackArtifact(stack.ArtifactId).TemplateFullPath));
    }

    /// <summary>The Resources section.</summary>
    public JsonObject Resources => Root[nameof(Resources)]!.AsObject();

    /// <summary>Logical ids and bodies of every resource of a type, in template order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonObject>> OfType(string type) =>
        [.. Resources.Where(r => (string?)r.Value!["Type"] == type).Select(r => KeyValuePair.Create(r.Key, r.Value!.AsObject()))];

    /// <summary>The single resource of a type matching <paramref name="predicate"/>; fails if there is not exactly one.</summary>
    public KeyValuePair<string, JsonObject> SingleOf(string type, Func<JsonObject, bool> predicate)
    {
        var matches = OfType(type).Where(r => predicate(r.Value)).ToList();
        Assert.True(matches.Count == 1, $"Expected exactly one {type} matching the condition, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The logical id of the single resource of a type whose logical id starts with <paramref name="prefix"/>.</summary>
    public string LogicalId(string type, string prefix)
    {
        var matches = OfType(type).Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected exactly one {type} whose logical id starts with {prefix}, found {matches.Count}.");
        return matches[0].Key;
    }

    /// <summary>Asserts that <paramref name="actual"/> equals the JSON text <paramref name="expectedJson"/> exactly.</summary>
    public static void AssertEqual(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        if (!JsonNode.DeepEquals(expected, actual))
        {
            var expectedText = expected?.ToJsonString(Indented) ?? "null";
            var actualText = actual?.ToJsonString(Indented) ?? "null";
            Assert.Fail("JSON differs." + Environment.NewLine + LineDiff.Format(expectedText, actualText, "expected", "actual"));
        }
    }
}
