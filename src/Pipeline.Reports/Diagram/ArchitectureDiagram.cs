using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Reports.Diagram;

/// <summary>One synthesized stack: its id (the CDK artifact id) and template.</summary>
/// <param name="Id">The stack's id, e.g. <c>DataLake</c>.</param>
/// <param name="Template">The CloudFormation template.</param>
public sealed record SynthesizedStack(string Id, JsonObject Template);

/// <summary>Which layer of the diagram a node or edge belongs to.</summary>
public enum DiagramLayer
{
    /// <summary>The data flow, producer to drift monitoring: the spine the diagram is read along.</summary>
    Flow,

    /// <summary>Helpers a spine resource calls (functions, workgroups, schedules, crawlers).</summary>
    Attached,

    /// <summary>Keys, network, notifications and monitoring: grey, dashed, and without effect on the ranks.</summary>
    Quiet,
}

/// <summary>A node of the diagram.</summary>
/// <param name="Key">The node's DOT id: <c>Stack.LogicalId</c>, <c>Stack.LogicalId/zone</c> for a lake zone, or <see cref="ArchitectureDiagram.Producers"/>.</param>
/// <param name="Stack">The stack holding the resource (empty for the external producers).</param>
/// <param name="Type">The CloudFormation type (<c>External</c> for the producers).</param>
/// <param name="Name">The logical id without the CDK's hash.</param>
/// <param name="Zone">For a lake zone, its top-level prefix; otherwise null.</param>
/// <param name="Layer">The layer the node is drawn in.</param>
/// <param name="Label">The node's label, lines separated by <c>\n</c>.</param>
public sealed record DiagramNode(string Key, string Stack, string Type, string Name, string? Zone, DiagramLayer Layer, string Label);

/// <summary>An edge of the diagram, pointing the way data moves.</summary>
/// <param name="From">Key of the upstream node.</param>
/// <param name="To">Key of the downstream node.</param>
/// <param name="Layer">The layer the edge is drawn in.</param>
/// <param name="Label">The edge's label (may be empty).</param>
/// <param name="Constraint">Whether the edge ranks its ends (quiet edges and loop-closing edges do not).</param>
public sealed record DiagramEdge(string From, string To, DiagramLayer Layer, string Label, bool Constraint);

/// <summary>The diagram before it is written as DOT: its nodes and edges.</summary>
/// <param name="Stacks">Stack ids in deployment order.</param>
/// <param name="Nodes">The nodes, in output order.</param>
/// <param name="Edges">The edges, in output order.</param>
/// <param name="UnattributedAlarms">Per stack, alarms whose watched resource is not on the diagram.</param>
public sealed record ArchitectureModel(
    IReadOnlyList<string> Stacks, IReadOnlyList<DiagramNode> Nodes, IReadOnlyList<DiagramEdge> Edges, IReadOnlyDictionary<string, int> UnattributedAlarms);

/// <summary>
/// The architecture diagram as Graphviz DOT, generated from the synthesized templates and drawn left to right in the
/// direction data moves: producers, the Kinesis stream, Firehose (with its transform function), the lake's zones, the Glue
/// tables over them, training, the model registry, promotion, the endpoint, its data capture and drift monitoring.
/// <para>
/// Edges come from the references between resources (properties, state machine definitions, the policies of the roles a
/// resource runs with, S3 prefixes, names built the same way in two stacks); <see cref="FlowRules"/> turns each reference into
/// an edge pointing downstream by the pair of resource types. Keys, network and alarms form a quieter layer that does not
/// affect the ranks. Roles, policies and log groups are left out; subnets, security groups and VPC endpoints are counted on
/// the VPC, an endpoint's configuration and model on the endpoint, and alarms on the edge from what they watch to the topic.
/// </para>
/// </summary>
public static partial class ArchitectureDiagram
{
    /// <summary>Key of the external producers node: the clients that put records on the stream are not in any template.</summary>
    public const string Producers = "Producers";

    private const string External = "External";

    private static readonly Dictionary<string, string> TypeLabels = new(StringComparer.Ordinal)
    {
        [FlowRules.Key] = "KMS key",
        [FlowRules.Vpc] = "VPC",
        [FlowRules.Topic] = "SNS topic",
        [FlowRules.Stream] = "Kinesis stream",
        [FlowRules.Bucket] = "S3 bucket",
        [FlowRules.Table] = "Glue table",
        ["AWS::Glue::Crawler"] = "Glue crawler",
        ["AWS::Athena::WorkGroup"] = "Athena workgroup",
        [FlowRules.ModelPackageGroup] = "SageMaker model registry",
        [FlowRules.Function] = "Lambda function",
        [FlowRules.Firehose] = "Firehose delivery stream",
        [FlowRules.StateMachine] = "Step Functions state machine",
        [FlowRules.Rule] = "EventBridge schedule",
        [FlowRules.Endpoint] = "SageMaker endpoint",
        ["AWS::SSM::Parameter"] = "SSM parameter",
    };

    // Resources drawn inside another node: network pieces in their VPC, an endpoint's configuration, model and scaling.
    private static readonly Dictionary<string, string> Folded = new(StringComparer.Ordinal)
    {
        ["AWS::EC2::Subnet"] = "subnets",
        ["AWS::EC2::SecurityGroup"] = "security groups",
        ["AWS::EC2::VPCEndpoint"] = "endpoints",
        ["AWS::SageMaker::EndpointConfig"] = "endpoint config",
        ["AWS::SageMaker::Model"] = "model",
        ["AWS::ApplicationAutoScaling::ScalableTarget"] = "auto scaling",
    };

    // Folded into the resource that names them (the others fold into the resource they name).
    private static readonly HashSet<string> FoldedDown = new(StringComparer.Ordinal) { "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Model" };

    private static readonly HashSet<string> FlowTypes = new(StringComparer.Ordinal)
    {
        External, FlowRules.Stream, FlowRules.Firehose, FlowRules.Zone, FlowRules.Table, FlowRules.StateMachine, FlowRules.ModelPackageGroup, FlowRules.Endpoint,
    };

    private static readonly HashSet<string> QuietTypes = new(StringComparer.Ordinal)
    {
        FlowRules.Key, FlowRules.Vpc, FlowRules.Topic, FlowRules.Bucket,
    };

    /// <summary>The diagram of <paramref name="stacks"/>, given in deployment order, as Graphviz DOT.</summary>
    public static string Dot(IReadOnlyList<SynthesizedStack> stacks) => Dot(Model(stacks));

    /// <summary>The diagram of <paramref name="stacks"/>, given in deployment order.</summary>
    public static ArchitectureModel Model(IReadOnlyList<SynthesizedStack> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var set = new TemplateSet(stacks);
        var names = Names(set);
        var owners = Owners(set, names);

        var relations = new List<Relation>();
        foreach (var (id, resource) in set.All.Where(r => owners.ContainsKey(r.Id) && set.Type(r.Id) != FlowRules.Rule))
        {
            relations.AddRange(Relations(set, names, id, TemplateSet.Properties(resource), Access.Named, actions: []));
            foreach (var grant in set.RolesOf(id, resource).SelectMany(set.Grants))
            {
                relations.AddRange(Relations(set, names, id, grant.Resource, grant.Access, grant.Actions));
            }
        }

        var edges = new Dictionary<(string From, string To, DiagramLayer Layer), (SortedSet<string> Labels, bool Constraint)>();
        void Add(string from, string to, DiagramLayer layer, string label, bool constraint)
        {
            if (from == to)
            {
                return;
            }

            if (!edges.TryGetValue((from, to, layer), out var edge))
            {
                edges[(from, to, layer)] = edge = (new SortedSet<string>(StringComparer.Ordinal), constraint);
            }

            if (label.Length > 0)
            {
                edge.Labels.Add(label);
            }
        }

        // A reference is drawn between the owners of its ends when their types have a rule.
        foreach (var group in relations
            .Select(r => (From: OwnerOf(owners, r.From), To: OwnerOf(owners, r.To), r.Zone, r.Access))
            .Where(r => r.From is not null && r.To is not null)
            .GroupBy(r => (From: r.From!.Value, To: r.To!.Value, r.Zone)))
        {
            var (from, to, zone) = group.Key;
            var accesses = group.Select(r => r.Access).ToHashSet();
            var rule = FlowRules.Find(set.Type(from), zone is null ? set.Type(to) : FlowRules.Zone, accesses);
            if (rule is not null)
            {
                var (a, b) = (Key(from, null), Key(to, zone));
                Add(rule.Downstream ? a : b, rule.Downstream ? b : a, rule.Layer, rule.Label, rule.Constraint && rule.Layer != DiagramLayer.Quiet);
            }
        }

        // The producers are outside the app: they write to every stream nothing in the templates may write to.
        foreach (var (stream, _) in set.All.Where(r => set.Type(r.Id) == FlowRules.Stream))
        {
            if (!relations.Any(r => r.To == stream && r.Access == Access.Write))
            {
                Add(Producers, Key(stream, null), DiagramLayer.Flow, string.Empty, constraint: true);
            }
        }

        // EventBridge rules: a schedule is a node that starts its targets; an event pattern is an edge from what it matches.
        foreach (var (id, rule) in set.All.Where(r => set.Type(r.Id) == FlowRules.Rule))
        {
            var properties = TemplateSet.Properties(rule);
            var targets = set.References(properties?["Targets"], id.Stack).Select(t => OwnerOf(owners, t)).OfType<ResourceId>().Distinct().ToList();
            if (properties?["ScheduleExpression"] is not null)
            {
                targets.ForEach(t => Add(Key(id, null), Key(t, null), DiagramLayer.Attached, "starts", constraint: true));
            }

            foreach (var source in Named(set, names, properties?["EventPattern"], id.Stack).Concat(set.References(properties?["EventPattern"], id.Stack))
                .Select(t => OwnerOf(owners, t)).OfType<ResourceId>().Distinct())
            {
                targets.ForEach(t => Add(Key(source, null), Key(t, null), DiagramLayer.Flow, "event rule " + Name(id.Id), constraint: true));
            }
        }

        // Alarms: counted on a quiet edge from what they watch to the topic they notify.
        var unattributed = set.Stacks.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        var alarmCounts = new Dictionary<(string From, string To), int>();
        foreach (var (id, alarm) in set.All.Where(r => set.Type(r.Id) == FlowRules.Alarm))
        {
            var properties = TemplateSet.Properties(alarm);
            var watched = new[] { properties?["Dimensions"], properties?["Metrics"] }
                .SelectMany(n => set.References(n, id.Stack).Concat(Named(set, names, n, id.Stack)))
                .Select(t => OwnerOf(owners, t)).FirstOrDefault(o => o is not null);
            var topics = set.References(properties?["AlarmActions"], id.Stack).Where(t => set.Type(t) == FlowRules.Topic).Distinct().ToList();
            if (watched is null || topics.Count == 0)
            {
                unattributed[id.Stack]++;
                continue;
            }

            foreach (var topic in topics)
            {
                var pair = (Key(watched.Value, null), Key(topic, null));
                alarmCounts[pair] = alarmCounts.GetValueOrDefault(pair) + 1;
            }
        }

        foreach (var ((from, to), count) in alarmCounts)
        {
            Add(from, to, DiagramLayer.Quiet, string.Create(CultureInfo.InvariantCulture, $"{count} alarm{(count == 1 ? string.Empty : "s")}"), constraint: false);
        }

        // A bucket drawn whole (for its key and logs) holds the zones drawn for it.
        var zones = edges.Keys.SelectMany(e => new[] { e.From, e.To }).Where(k => k.Contains('/', StringComparison.Ordinal)).Distinct().ToList();
        foreach (var zone in zones.Where(z => edges.Keys.Any(e => e.From == z.Split('/')[0] || e.To == z.Split('/')[0])))
        {
            Add(zone.Split('/')[0], zone, DiagramLayer.Quiet, "zone", constraint: false);
        }

        var keys = edges.Keys.SelectMany(e => new[] { e.From, e.To }).ToHashSet(StringComparer.Ordinal);
        var nodes = new List<DiagramNode>();
        if (keys.Contains(Producers))
        {
            nodes.Add(new(Producers, string.Empty, External, Producers, null, DiagramLayer.Flow, "Producers\n(Pipeline.Producer CLI)"));
        }

        foreach (var (id, resource) in set.All.Where(r => OwnerOf(owners, r.Id) == r.Id))
        {
            var type = TemplateSet.TypeOf(resource);
            var members = owners.Where(o => o.Value == id && o.Key != id).Select(o => o.Key).ToList();
            foreach (var zone in zones.Where(z => z.StartsWith(Key(id, null) + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var name = zone.Split('/')[1];
                nodes.Add(new(zone, id.Stack, FlowRules.Zone, Name(id.Id), name, DiagramLayer.Flow, $"{TypeLabels[type]} {Name(id.Id)}\n{name}/"));
            }

            if (keys.Contains(Key(id, null)))
            {
                nodes.Add(new(Key(id, null), id.Stack, type, Name(id.Id), null, LayerOf(type), Label(set, id, resource, members)));
            }
        }

        var ordered = edges
            .Select(e => new DiagramEdge(e.Key.From, e.Key.To, e.Key.Layer, string.Join(", ", e.Value.Labels), e.Value.Constraint))
            .OrderBy(e => e.Layer).ThenBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)
            .ToList();
        return new ArchitectureModel(set.Stacks, nodes, ordered, unattributed);
    }

    /// <summary>The DOT text of a diagram.</summary>
    public static string Dot(ArchitectureModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var dot = new StringBuilder()
            .AppendLine("// Generated from the synthesized production templates: npm run diagram. Do not edit.")
            .AppendLine("// Left to right in the direction data moves; grey dashed edges (keys, network, alarms) do not affect the layout.")
            .AppendLine("digraph pipeline {")
            .AppendLine("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.3, ranksep=0.5, newrank=true];")
            .AppendLine("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#4a5568\", fontname=\"Helvetica\", fontsize=10];")
            .AppendLine("  edge [color=\"#1f4e79\", penwidth=1.4, arrowsize=0.7, fontname=\"Helvetica\", fontsize=9];");
        // No cluster per stack: a stack's resources sit at many points of the flow (the lake stack holds the stream, the
        // zones, the tables and the registry), and clusters would fold the line into a zigzag. Each node names its stack.
        foreach (var node in model.Nodes)
        {
            dot.AppendLine(CultureInfo.InvariantCulture, $"  {NodeLine(node)}");
        }

        var unattributed = model.UnattributedAlarms.Where(a => a.Value > 0).ToList();
        if (unattributed.Count > 0)
        {
            var text = string.Join(", ", unattributed.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key} {a.Value}")));
            dot.AppendLine(CultureInfo.InvariantCulture, $"  label=\"Alarms on resources not drawn: {text}\"; labelloc=b; fontsize=9; fontcolor=\"#7b8794\";");
        }

        // Nodes with only quiet edges take no part in the ranking, so dot would stack them all in the first column, far from
        // what uses them. An invisible edge from the neighbour in the middle of their users places each near the part it serves.
        foreach (var (anchor, node) in Anchors(model))
        {
            dot.AppendLine(CultureInfo.InvariantCulture, $"  \"{anchor}\" -> \"{node}\" [style=invis];");
        }

        foreach (var edge in model.Edges)
        {
            var attributes = new List<string>();
            if (edge.Label.Length > 0)
            {
                attributes.Add($"label=\"{edge.Label}\"");
            }

            attributes.AddRange(edge.Layer switch
            {
                DiagramLayer.Attached => ["color=\"#52606d\"", "penwidth=1"],
                DiagramLayer.Quiet => ["style=dashed", "color=\"#b8c2cc\"", "fontcolor=\"#9aa5b1\"", "fontsize=7", "penwidth=0.8", "arrowsize=0.5"],
                _ => [],
            });
            if (!edge.Constraint)
            {
                attributes.Add("constraint=false");
            }

            dot.AppendLine(CultureInfo.InvariantCulture, $"  \"{edge.From}\" -> \"{edge.To}\"{(attributes.Count == 0 ? string.Empty : " [" + string.Join(", ", attributes) + "]")};");
        }

        return dot.AppendLine("}").ToString();
    }

    // For each node no ranking edge places (the quiet layer, things only alarms or keys name), the node it is placed
    // after: of its neighbours already placed, the one of median rank.
    private static IEnumerable<(string Anchor, string Node)> Anchors(ArchitectureModel model)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        var ranking = model.Edges.Where(e => e.Constraint && e.Layer != DiagramLayer.Quiet).ToList();
        int Rank(string key, int depth) => rank.TryGetValue(key, out var r) ? r
            : rank[key] = depth > model.Nodes.Count ? 0 : ranking.Where(e => e.To == key).Select(e => Rank(e.From, depth + 1) + 1).DefaultIfEmpty(0).Max();
        foreach (var edge in ranking)
        {
            Rank(edge.To, 0);
        }

        var quiet = model.Nodes.Where(n => !ranking.Any(e => e.From == n.Key || e.To == n.Key)).Select(n => n.Key).ToList();
        for (var placed = true; placed;)
        {
            placed = false;
            foreach (var node in quiet.Where(q => !rank.ContainsKey(q)))
            {
                var neighbours = model.Edges.Where(e => e.From == node || e.To == node).Select(e => e.From == node ? e.To : e.From)
                    .Where(rank.ContainsKey).Distinct().OrderBy(n => rank[n]).ThenBy(n => n, StringComparer.Ordinal).ToList();
                if (neighbours.Count > 0)
                {
                    var anchor = neighbours[(neighbours.Count - 1) / 2];
                    rank[node] = rank[anchor];
                    placed = true;
                    yield return (anchor, node);
                }
            }
        }
    }

    private static string NodeLine(DiagramNode node)
    {
        var style = node.Layer switch
        {
            DiagramLayer.Flow when node.Type == External => ", shape=cds, fillcolor=\"#fff4e5\"",
            DiagramLayer.Flow when node.Zone is not null => ", shape=folder, fillcolor=\"#e8f1fb\", color=\"#1f4e79\"",
            DiagramLayer.Flow => ", fillcolor=\"#e8f1fb\", color=\"#1f4e79\", penwidth=1.4",
            DiagramLayer.Quiet => ", style=\"rounded,dashed\", color=\"#b8c2cc\", fontcolor=\"#7b8794\", fontsize=8",
            _ => string.Empty,
        };
        var lines = node.Label.Split('\n').Select(Html).ToList();
        var stack = node.Stack.Length == 0 ? string.Empty : $"<BR/><FONT POINT-SIZE=\"7\" COLOR=\"#9aa5b1\">{Html(node.Stack)} stack</FONT>";
        return $"\"{node.Key}\" [label=<{string.Join("<BR/>", lines)}{stack}>{style}];";
    }

    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static ResourceId? OwnerOf(Dictionary<ResourceId, ResourceId> owners, ResourceId id) => owners.TryGetValue(id, out var owner) ? owner : null;

    private static DiagramLayer LayerOf(string type) =>
        FlowTypes.Contains(type) ? DiagramLayer.Flow : QuietTypes.Contains(type) ? DiagramLayer.Quiet : DiagramLayer.Attached;

    private static string Key(ResourceId id, string? zone) => zone is null ? id.ToString() : $"{id}/{zone}";

    private static string Label(TemplateSet set, ResourceId id, JsonObject resource, IReadOnlyList<ResourceId> members)
    {
        var type = TemplateSet.TypeOf(resource);
        var properties = TemplateSet.Properties(resource);
        var lines = new List<string> { TypeLabels[type], Name(id.Id) };
        switch (type)
        {
            case FlowRules.Table:
                lines.Add($"({set.Canonical(properties?["DatabaseName"], id.Stack)}.{set.Canonical(properties?["TableInput"]?["Name"], id.Stack)})");
                break;
            case FlowRules.Rule when (properties?["ScheduleExpression"]) is JsonNode schedule:
                lines.Add(set.Canonical(schedule, id.Stack));
                break;
            case FlowRules.Rule:
                // A rule drawn as a node that matches events rather than a schedule (its flow edge carries its name).
                lines[0] = "EventBridge rule";
                break;
        }

        // What is drawn inside this node, counted by kind; a VPC also names the services its endpoints reach.
        foreach (var kind in members.GroupBy(m => set.Type(m)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = kind.Count();
            var text = count == 1 ? "+ " + Folded[kind.Key] : string.Create(CultureInfo.InvariantCulture, $"{count} {Folded[kind.Key]}");
            if (kind.Key == "AWS::EC2::VPCEndpoint")
            {
                text += ":\n" + string.Join("\n", kind.Select(e => Service(set, e)).Order(StringComparer.Ordinal).Chunk(4).Select(c => string.Join(", ", c)));
            }

            lines.Add(text);
        }

        return string.Join("\n", lines);
    }

    // The service a VPC endpoint reaches: the last label of its service name (com.amazonaws.REGION.kinesis-streams).
    private static string Service(TemplateSet set, ResourceId endpoint) =>
        set.Canonical(TemplateSet.Properties(set.Resource(endpoint)!)?["ServiceName"], endpoint.Stack).TrimStart('.').Split('.').Last();

    /// <summary>The logical id without the CDK's 8-hex-digit hash.</summary>
    private static string Name(string logicalId) =>
        logicalId.Length > 8 && logicalId[^8..].All(Uri.IsHexDigit) ? logicalId[..^8] : logicalId;

    private sealed record Relation(ResourceId From, ResourceId To, string? Zone, Access Access);

    // The references of one property tree (a resource's properties, or a policy statement's resources with its access).
    private static IEnumerable<Relation> Relations(TemplateSet set, IReadOnlyList<(ResourceId Id, string Name)> names, ResourceId from, JsonNode? node, Access access, IReadOnlyList<string> actions)
    {
        var zoned = Zones(set, node, from.Stack).Distinct().ToList();
        foreach (var (bucket, zone) in zoned)
        {
            yield return new(from, bucket, zone, access);
        }

        foreach (var target in set.References(node, from.Stack).Concat(Named(set, names, node, from.Stack)).Distinct())
        {
            if (target.Id == ResourceId.StackItself)
            {
                // Updating a stack is how its endpoint is given a new model: the endpoints of the stack are what changes.
                if (actions.Any(a => a.StartsWith("cloudformation:", StringComparison.Ordinal) && access == Access.Write))
                {
                    foreach (var (endpoint, _) in set.Resources(target.Stack).Where(r => set.Type(r.Id) == FlowRules.Endpoint))
                    {
                        yield return new(from, endpoint, null, access);
                    }
                }
            }
            else if (target != from && !zoned.Any(z => z.Bucket == target))
            {
                yield return new(from, target, null, access);
            }
        }
    }

    // Lake zones a tree names: s3://BUCKET/zone/… and BUCKET_ARN/zone/… strings, and a BucketARN beside a Prefix or ErrorOutputPrefix.
    private static IEnumerable<(ResourceId Bucket, string Zone)> Zones(TemplateSet set, JsonNode? node, string stack)
    {
        foreach (var text in set.Strings(node, stack))
        {
            foreach (Match match in ZonePattern().Matches(text))
            {
                var bucket = new ResourceId(match.Groups["stack"].Value, match.Groups["id"].Value);
                if (set.Type(bucket) == FlowRules.Bucket)
                {
                    yield return (bucket, match.Groups["zone"].Value);
                }
            }
        }

        foreach (var o in Descendants(node).OfType<JsonObject>().Where(o => o["BucketARN"] is not null))
        {
            foreach (var bucket in set.References(o["BucketARN"], stack).Where(b => set.Type(b) == FlowRules.Bucket))
            {
                foreach (var prefix in new[] { o["Prefix"], o["ErrorOutputPrefix"] }.Select(p => set.Canonical(p, stack)).Where(p => p.Length > 0))
                {
                    var zone = prefix.Split('/')[0];
                    if (ZoneName().IsMatch(zone))
                    {
                        yield return (bucket, zone);
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"(?:s3://\$\{(?<stack>[^.}]+)\.(?<id>[^.}]+)\}|\$\{(?<stack>[^.}]+)\.(?<id>[^.}]+)\}\.Arn)/(?<zone>[A-Za-z0-9_.-]+)(?:/|$)")]
    private static partial Regex ZonePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$")]
    private static partial Regex ZoneName();

    private static IEnumerable<JsonNode> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => new[] { node }.Concat(o.SelectMany(p => Descendants(p.Value))),
        JsonArray a => new[] { node }.Concat(a.SelectMany(Descendants)),
        null => [],
        _ => [node],
    };

    // The names other resources use for a resource instead of a reference: a Glue table's database/name, a model package
    // group's name, an endpoint's name.
    private static List<(ResourceId Id, string Name)> Names(TemplateSet set) =>
        [.. set.All.Select(r => (r.Id, Name: TemplateSet.TypeOf(r.Resource) switch
        {
            FlowRules.Table => set.Canonical(TemplateSet.Properties(r.Resource)?["DatabaseName"], r.Id.Stack) + "/"
                + set.Canonical(TemplateSet.Properties(r.Resource)?["TableInput"]?["Name"], r.Id.Stack),
            FlowRules.ModelPackageGroup => set.Canonical(TemplateSet.Properties(r.Resource)?["ModelPackageGroupName"], r.Id.Stack),
            FlowRules.Endpoint => set.Canonical(TemplateSet.Properties(r.Resource)?["EndpointName"], r.Id.Stack),
            _ => string.Empty,
        })).Where(n => n.Name.Length > 0 && !n.Name.Contains('?', StringComparison.Ordinal))];

    // Resources a tree names by name: a string equal to the name, an ARN or path ending in /NAME or holding /NAME/, the name
    // quoted inside embedded JSON (definitions, dashboards), or a DatabaseName and TableName side by side.
    private static IEnumerable<ResourceId> Named(TemplateSet set, IReadOnlyList<(ResourceId Id, string Name)> names, JsonNode? node, string stack)
    {
        var texts = set.Strings(node, stack)
            .Concat(Descendants(node).OfType<JsonObject>().Where(o => o["DatabaseName"] is not null && o["TableName"] is not null)
                .Select(o => set.Canonical(o["DatabaseName"], stack) + "/" + set.Canonical(o["TableName"], stack)))
            .ToList();
        return names.Where(n => texts.Any(t => t == n.Name || t.EndsWith("/" + n.Name, StringComparison.Ordinal)
                || t.Contains("/" + n.Name + "/", StringComparison.Ordinal) || t.Contains("\"" + n.Name + "\"", StringComparison.Ordinal)))
            .Select(n => n.Id);
    }

    // Which node each resource is drawn as: itself for the types on the diagram, the VPC for network pieces, the endpoint for
    // its configuration, model and scaling target. Resources missing from the map are not drawn.
    private static Dictionary<ResourceId, ResourceId> Owners(TemplateSet set, IReadOnlyList<(ResourceId Id, string Name)> names)
    {
        // Functions that only back a custom resource (CDK's providers) are deployment machinery, not the pipeline.
        var providers = set.All.Where(r => set.Type(r.Id).StartsWith("Custom::", StringComparison.Ordinal) || set.Type(r.Id) == "AWS::CloudFormation::CustomResource")
            .SelectMany(r => set.References(TemplateSet.Properties(r.Resource)?["ServiceToken"], r.Id.Stack)).ToHashSet();
        var owners = set.All.Where(r => TypeLabels.ContainsKey(set.Type(r.Id)) && !providers.Contains(r.Id))
            .ToDictionary(r => r.Id, r => r.Id);
        // Folding may chain (a model is named by a configuration that is named by an endpoint): repeat until nothing changes.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (id, resource) in set.All.Where(r => Folded.ContainsKey(set.Type(r.Id)) && !owners.ContainsKey(r.Id)))
            {
                var owner = FoldedDown.Contains(set.Type(id))
                    ? set.All.Where(r => owners.ContainsKey(r.Id) && set.References(TemplateSet.Properties(r.Resource), r.Id.Stack).Contains(id))
                        .Select(r => owners[r.Id]).Cast<ResourceId?>().FirstOrDefault()
                    : set.References(TemplateSet.Properties(resource), id.Stack).Concat(Named(set, names, TemplateSet.Properties(resource), id.Stack))
                        .Where(owners.ContainsKey).Select(t => owners[t]).Cast<ResourceId?>().FirstOrDefault();
                if (owner is { } found)
                {
                    owners[id] = found;
                    changed = true;
                }
            }
        }

        return owners;
    }
}
