using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Reports.Diagram;

/// <summary>One synthesized stack: its id (the CDK artifact id) and template.</summary>
/// <param name="Id">The stack's id, e.g. <c>DataLake</c>.</param>
/// <param name="Template">The CloudFormation template.</param>
public sealed record SynthesizedStack(string Id, JsonObject Template);

/// <summary>
/// The architecture diagram as Graphviz DOT, generated from the synthesized templates: one cluster per stack in
/// deployment order, one node per resource a reader of the architecture looks for (keys, network, stream, lake,
/// catalog, functions, Firehose, state machines, SageMaker, rules, dashboard), and an edge wherever one of them names
/// another (<c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::Sub</c>, or <c>Fn::ImportValue</c> of the other stack's export), or its
/// role's policies grant access to another (keys aside). Roles, policies, security groups, log groups, routes and alarms
/// are left out (alarms are counted on their stack's label).
/// </summary>
public static class ArchitectureDiagram
{
    private static readonly Dictionary<string, string> Shown = new(StringComparer.Ordinal)
    {
        ["AWS::KMS::Key"] = "KMS key",
        ["AWS::EC2::VPC"] = "VPC, isolated subnets",
        ["AWS::EC2::VPCEndpoint"] = "VPC endpoint",
        ["AWS::SNS::Topic"] = "SNS topic",
        ["AWS::Kinesis::Stream"] = "Kinesis stream",
        ["AWS::S3::Bucket"] = "S3 bucket",
        ["AWS::Glue::Database"] = "Glue database",
        ["AWS::Glue::Table"] = "Glue table",
        ["AWS::Glue::Crawler"] = "Glue crawler",
        ["AWS::Athena::WorkGroup"] = "Athena workgroup",
        ["AWS::SageMaker::ModelPackageGroup"] = "SageMaker model package group",
        ["AWS::Lambda::Function"] = "Lambda function",
        ["AWS::KinesisFirehose::DeliveryStream"] = "Firehose delivery stream",
        ["AWS::StepFunctions::StateMachine"] = "Step Functions state machine",
        ["AWS::Events::Rule"] = "EventBridge rule",
        ["AWS::SageMaker::Model"] = "SageMaker model",
        ["AWS::SageMaker::EndpointConfig"] = "SageMaker endpoint configuration",
        ["AWS::SageMaker::Endpoint"] = "SageMaker endpoint",
        ["AWS::ApplicationAutoScaling::ScalableTarget"] = "Auto scaling target",
        ["AWS::SSM::Parameter"] = "SSM parameter",
        ["AWS::CloudWatch::Dashboard"] = "CloudWatch dashboard",
    };

    /// <summary>The diagram of <paramref name="stacks"/>, given in deployment order.</summary>
    public static string Dot(IReadOnlyList<SynthesizedStack> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var nodes = stacks.ToDictionary(s => s.Id, s => Resources(s.Template)
            .Where(r => Shown.ContainsKey(Type(r.Value)) && !r.Key.StartsWith("Custom", StringComparison.Ordinal))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        var exports = stacks
            .SelectMany(s => (s.Template["Outputs"]?.AsObject() ?? []).Where(o => o.Value!["Export"] is not null)
                .Select(o => (Name: (string)o.Value!["Export"]!["Name"]!, Stack: s.Id, Target: Referenced(o.Value!["Value"]!).FirstOrDefault())))
            .Where(e => e.Target is not null)
            .ToDictionary(e => e.Name, e => (e.Stack, e.Target!), StringComparer.Ordinal);

        var dot = new StringBuilder()
            .AppendLine("// Generated from the synthesized production templates: npm run diagram. Do not edit.")
            .AppendLine("digraph pipeline {")
            .AppendLine("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.25, ranksep=0.6, compound=true];")
            .AppendLine("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];")
            .AppendLine("  edge [color=\"#555555\", arrowsize=0.6];");
        foreach (var stack in stacks)
        {
            var alarms = Resources(stack.Template).Count(r => Type(r.Value) == "AWS::CloudWatch::Alarm");
            var label = alarms == 0 ? stack.Id : string.Create(CultureInfo.InvariantCulture, $"{stack.Id} ({alarms} alarms → SNS topic)");
            dot.AppendLine(CultureInfo.InvariantCulture, $"  subgraph \"cluster_{stack.Id}\" {{")
                .AppendLine(CultureInfo.InvariantCulture, $"    label=\"{label}\"; style=\"rounded,filled\"; fillcolor=\"#f4f6f8\"; color=\"#9aa5b1\";");
            foreach (var (id, resource) in nodes[stack.Id].OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                dot.AppendLine(CultureInfo.InvariantCulture, $"    \"{stack.Id}.{id}\" [label=\"{Shown[Type(resource)]}\\n{Name(id, resource)}\"];");
            }

            dot.AppendLine("  }");
        }

        var edges = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            var resources = Resources(stack.Template).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
            foreach (var (id, resource) in nodes[stack.Id])
            {
                var direct = Targets(resource["Properties"], stack.Id, exports);
                // What the resource's role may reach, except keys (every encrypted resource would point at one).
                var granted = RolesOf(resource, stack.Id, exports, resources)
                    .SelectMany(role => PoliciesOf(role, resources))
                    .SelectMany(policy => Targets(policy["Properties"]?["PolicyDocument"], stack.Id, exports))
                    .Where(target => !IsKey(target, stacks));
                foreach (var target in direct.Concat(granted))
                {
                    if (target != (stack.Id, id) && nodes.TryGetValue(target.Stack, out var shown) && shown.ContainsKey(target.Id))
                    {
                        edges.Add($"  \"{stack.Id}.{id}\" -> \"{target.Stack}.{target.Id}\";");
                    }
                }
            }
        }

        foreach (var edge in edges)
        {
            dot.AppendLine(edge);
        }

        return dot.AppendLine("}").ToString();
    }

    // The roles a resource runs with (those of its own stack it names).
    private static IEnumerable<string> RolesOf(JsonObject resource, string stack, IReadOnlyDictionary<string, (string Stack, string Id)> exports, Dictionary<string, JsonObject> resources) =>
        Targets(resource["Properties"], stack, exports)
            .Where(t => t.Stack == stack && resources.TryGetValue(t.Id, out var r) && Type(r) == "AWS::IAM::Role")
            .Select(t => t.Id)
            .Distinct();

    // A role's policies: those that attach themselves to it (Roles) and the managed ones it attaches (ManagedPolicyArns).
    private static IEnumerable<JsonObject> PoliciesOf(string role, Dictionary<string, JsonObject> resources)
    {
        var attached = (resources.TryGetValue(role, out var r) ? r["Properties"]?["ManagedPolicyArns"]?.AsArray() ?? [] : [])
            .Select(reference => (string?)reference?["Ref"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return resources.Where(p => Type(p.Value) is "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy"
                && ((p.Value["Properties"]?["Roles"]?.AsArray() ?? []).Any(reference => (string?)reference?["Ref"] == role) || attached.Contains(p.Key)))
            .Select(p => p.Value);
    }

    private static bool IsKey((string Stack, string Id) target, IReadOnlyList<SynthesizedStack> stacks) =>
        stacks.First(s => s.Id == target.Stack).Template["Resources"]?[target.Id] is JsonObject resource && Type(resource) == "AWS::KMS::Key";

    private static IEnumerable<KeyValuePair<string, JsonObject>> Resources(JsonObject template) =>
        (template["Resources"]?.AsObject() ?? []).Select(r => new KeyValuePair<string, JsonObject>(r.Key, r.Value!.AsObject()));

    private static string Type(JsonObject resource) => (string?)resource["Type"] ?? string.Empty;

    // The logical id without the CDK's 8-hex-digit hash, and for an endpoint the service it reaches.
    private static string Name(string logicalId, JsonObject resource)
    {
        var name = logicalId.Length > 8 && logicalId[^8..].All(Uri.IsHexDigit) ? logicalId[..^8] : logicalId;
        if (Type(resource) == "AWS::EC2::VPCEndpoint" && resource["Properties"]?["ServiceName"] is JsonNode service)
        {
            var text = service is JsonValue value ? (string)value! : string.Concat(service["Fn::Join"]?[1]?.AsArray().OfType<JsonValue>().Select(v => (string)v!) ?? []);
            name += " (" + text.TrimStart('.').Split('.').Last() + ")";
        }

        return name;
    }

    // Every (stack, logical id) a property tree names.
    private static IEnumerable<(string Stack, string Id)> Targets(JsonNode? node, string stack, IReadOnlyDictionary<string, (string Stack, string Id)> exports)
    {
        switch (node)
        {
            case JsonObject o when o["Fn::ImportValue"] is JsonValue import && exports.TryGetValue((string)import!, out var exported):
                yield return exported;
                break;
            case JsonObject o:
                foreach (var id in Referenced(o))
                {
                    yield return (stack, id);
                }

                foreach (var child in o.Where(p => p.Key is not ("Ref" or "Fn::GetAtt")))
                {
                    foreach (var target in Targets(child.Value, stack, exports))
                    {
                        yield return target;
                    }
                }

                break;
            case JsonArray a:
                foreach (var target in a.SelectMany(item => Targets(item, stack, exports)))
                {
                    yield return target;
                }

                break;
        }
    }

    private static IEnumerable<string> Referenced(JsonNode node)
    {
        if (node is not JsonObject o)
        {
            yield break;
        }

        if (o["Ref"] is JsonValue reference && !((string)reference!).StartsWith("AWS::", StringComparison.Ordinal))
        {
            yield return (string)reference!;
        }

        if (o["Fn::GetAtt"] is JsonArray attribute)
        {
            yield return (string)attribute[0]!;
        }

        if (o["Fn::Sub"] is JsonValue sub)
        {
            foreach (var part in ((string)sub!).Split("${").Skip(1).Select(p => p.Split('}')[0].Split('.')[0]).Where(p => !p.StartsWith("AWS::", StringComparison.Ordinal)))
            {
                yield return part;
            }
        }
    }
}
