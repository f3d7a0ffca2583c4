using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Infra.Tests.Support;

/// <summary>
/// Whole-template snapshots, normalised so that only meaningful changes show: asset hashes and CDK version
/// metadata are scrubbed. Snapshots live under tests/Pipeline.Infra.Tests/Snapshots and are rewritten only when the
/// environment variable <c>UPDATE_SNAPSHOTS=1</c> is set; otherwise a mismatch fails with a line diff.
/// </summary>
public static partial class TemplateSnapshot
{
    /// <summary>Set to 1 to rewrite snapshots instead of comparing.</summary>
    public const string UpdateVariable = "UPDATE_SNAPSHOTS";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Directory holding the committed snapshots.</summary>
    public static string Directory => RepositoryPaths.Combine("tests", "Pipeline.Infra.Tests", "Snapshots");

    /// <summary>Compares a template with its committed snapshot (or writes it when updating).</summary>
    public static void Match(string snapshotName, string templateJson)
    {
        var actual = Normalise(templateJson);
        var path = Path.Combine(Directory, snapshotName + ".template.json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
        {
            Assert.Fail($"No snapshot at {path}. Review the template, then run the tests once with {UpdateVariable}=1 to record it.");
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Assert.Fail($"Template {snapshotName} differs from its snapshot ({path}).{Environment.NewLine}" +
                $"If the change is intended, rerun with {UpdateVariable}=1 and commit the snapshot.{Environment.NewLine}" +
                LineDiff.Format(expected, actual, "snapshot", "synthesized"));
        }
    }

    /// <summary>Scrubs what changes without a change in meaning: asset hashes and CDK version metadata.</summary>
    public static string Normalise(string templateJson)
    {
        var root = JsonNode.Parse(templateJson)!.AsObject();
        if (root["Resources"] is JsonObject resources)
        {
            resources.Remove("CDKMetadata");
        }

        if (root["Conditions"] is JsonObject conditions)
        {
            conditions.Remove("CDKMetadataAvailable");
            if (conditions.Count == 0)
            {
                root.Remove("Conditions");
            }
        }

        var text = root.ToJsonString(Indented);
        text = AssetHash().Replace(text, "<asset-hash>");
        return text.ReplaceLineEndings("\n") + "\n";
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex AssetHash();
}
