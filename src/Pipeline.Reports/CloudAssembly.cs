using System.Text.Json.Nodes;
using Pipeline.Reports.Diagram;

namespace Pipeline.Reports;

/// <summary>Reads the stacks of a synthesized app (cdk.out) in deployment order.</summary>
public static class CloudAssembly
{
    /// <summary>The stacks, each after the stacks it depends on.</summary>
    public static IReadOnlyList<SynthesizedStack> Stacks(DirectoryInfo directory)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(directory.FullName, "manifest.json")))!["artifacts"]!.AsObject();
        var stacks = manifest.Where(a => (string?)a.Value!["type"] == "aws:cloudformation:stack")
            .ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
        var ordered = new List<string>();
        void Visit(string id)
        {
            if (ordered.Contains(id))
            {
                return;
            }

            foreach (var dependency in (stacks[id]["dependencies"]?.AsArray() ?? []).Select(d => (string)d!).Where(stacks.ContainsKey).Order(StringComparer.Ordinal))
            {
                Visit(dependency);
            }

            ordered.Add(id);
        }

        foreach (var id in stacks.Keys.Order(StringComparer.Ordinal))
        {
            Visit(id);
        }

        return [.. ordered.Select(id => new SynthesizedStack(id,
            JsonNode.Parse(File.ReadAllText(Path.Combine(directory.FullName, (string)stacks[id]["properties"]!["templateFile"]!)))!.AsObject()))];
    }
}
