using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Reports.Diagram;

/// <summary>A resource of one stack: the stack's id and the resource's logical id.</summary>
internal readonly record struct ResourceId(string Stack, string Id)
{
    /// <summary>The pseudo resource a stack-level reference (<c>AWS::StackId</c>) resolves to.</summary>
    public const string StackItself = "AWS::StackId";

    public override string ToString() => $"{Stack}.{Id}";
}

/// <summary>What a role's policy statement allows on its resources, reduced to the direction data moves.</summary>
internal enum Access
{
    /// <summary>Named in a property or a definition: the direction comes from the type pair alone.</summary>
    Named,

    /// <summary>Only reads (Get, Describe, List, …) are granted.</summary>
    Read,

    /// <summary>Some action that writes, starts or invokes is granted.</summary>
    Write,
}

/// <summary>One statement of a role's policy as the diagram needs it.</summary>
internal sealed record Grant(IReadOnlyList<string> Actions, JsonNode? Resource)
{
    // Read-only verbs; anything else (Put, Create, Start, Invoke, Publish, Update, …) moves data into the target.
    private static readonly string[] ReadVerbs = ["Get", "Describe", "List", "Subscribe", "Select", "Query", "Decrypt", "Search", "Batch Get"];

    public Access Access => Actions.Any(a => !ReadVerbs.Any(v => a.Split(':').Last().StartsWith(v, StringComparison.Ordinal))) ? Access.Write : Access.Read;
}

/// <summary>
/// The synthesized stacks read as one graph: resources by (stack, logical id), references resolved through
/// <c>Fn::ImportValue</c> to the exporting stack's resource, and intrinsic values rendered as canonical strings so that
/// names built the same way in two stacks (a model package group's name, a Glue table's database and name) compare equal.
/// </summary>
internal sealed class TemplateSet
{
    private readonly Dictionary<string, JsonObject> _templates;
    private readonly Dictionary<string, (string Stack, JsonNode Value)> _exports;

    public TemplateSet(IReadOnlyList<SynthesizedStack> stacks)
    {
        Stacks = [.. stacks.Select(s => s.Id)];
        _templates = stacks.ToDictionary(s => s.Id, s => s.Template, StringComparer.Ordinal);
        _exports = new(StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            foreach (var (_, output) in stack.Template["Outputs"]?.AsObject() ?? [])
            {
                if (output?["Export"]?["Name"] is JsonValue name && output["Value"] is JsonNode value)
                {
                    _exports[(string)name!] = (stack.Id, value);
                }
            }
        }
    }

    /// <summary>Stack ids in deployment order.</summary>
    public IReadOnlyList<string> Stacks { get; }

    public IEnumerable<(ResourceId Id, JsonObject Resource)> Resources(string stack) =>
        (_templates[stack]["Resources"]?.AsObject() ?? []).Select(r => (new ResourceId(stack, r.Key), r.Value!.AsObject()));

    public IEnumerable<(ResourceId Id, JsonObject Resource)> All => Stacks.SelectMany(Resources);

    public JsonObject? Resource(ResourceId id) => _templates.TryGetValue(id.Stack, out var t) ? t["Resources"]?[id.Id] as JsonObject : null;

    public string Type(ResourceId id) => Resource(id) is { } r ? TypeOf(r) : string.Empty;

    public static string TypeOf(JsonObject resource) => (string?)resource["Type"] ?? string.Empty;

    public static JsonNode? Properties(JsonObject resource) => resource["Properties"];

    /// <summary>Every resource a property tree names (<c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::Sub</c>, <c>Fn::ImportValue</c>),
    /// <c>AWS::StackId</c> included as <see cref="ResourceId.StackItself"/>.</summary>
    public IEnumerable<ResourceId> References(JsonNode? node, string stack)
    {
        switch (node)
        {
            case JsonObject o when o["Fn::ImportValue"] is JsonValue import:
                if (_exports.TryGetValue((string)import!, out var exported))
                {
                    foreach (var target in References(exported.Value, exported.Stack))
                    {
                        yield return target;
                    }
                }

                break;
            case JsonObject o:
                if (o["Ref"] is JsonValue reference && Named((string)reference!) is { } referenced)
                {
                    yield return new(stack, referenced);
                }

                if (o["Fn::GetAtt"] is JsonArray attribute)
                {
                    yield return new(stack, (string)attribute[0]!);
                }

                if (o["Fn::Sub"] is JsonNode sub)
                {
                    var text = sub is JsonArray a ? (string)a[0]! : (string)sub!;
                    foreach (var part in text.Split("${").Skip(1).Select(p => p.Split('}')[0].Split('.')[0]).Select(Named).OfType<string>())
                    {
                        yield return new(stack, part);
                    }
                }

                foreach (var child in o.Where(p => p.Key is not ("Ref" or "Fn::GetAtt")))
                {
                    foreach (var target in References(child.Value, stack))
                    {
                        yield return target;
                    }
                }

                break;
            case JsonArray array:
                foreach (var target in array.SelectMany(item => References(item, stack)))
                {
                    yield return target;
                }

                break;
        }

        // Pseudo parameters name no resource, except the stack id, which names the stack itself (CloudFormation calls on it).
        static string? Named(string name) => !name.StartsWith("AWS::", StringComparison.Ordinal) || name == ResourceId.StackItself ? name : null;
    }

    /// <summary>
    /// A value rendered as text with its intrinsics spelled out canonically: <c>Ref</c> and <c>Fn::GetAtt</c> as
    /// <c>${stack.id}</c>, imports replaced by the exported value in the exporting stack. Two stacks that build the same
    /// name get the same text.
    /// </summary>
    public string Canonical(JsonNode? node, string stack) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        JsonObject o when o["Ref"] is JsonValue r => Token(stack, (string)r!),
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => Token(stack, (string)a[0]!) + "." + (string?)a[1],
        JsonObject o when o["Fn::ImportValue"] is JsonValue i =>
            _exports.TryGetValue((string)i!, out var e) ? Canonical(e.Value, e.Stack) : "${import:" + (string)i! + "}",
        JsonObject o when o["Fn::Join"] is JsonArray j =>
            string.Join((string?)j[0] ?? string.Empty, (j[1] as JsonArray ?? []).Select(p => Canonical(p, stack))),
        JsonObject o when o["Fn::Select"] is JsonArray s =>
            string.Create(CultureInfo.InvariantCulture, $"select({Canonical(s[0], stack)},{Canonical(s[1], stack)})"),
        JsonObject o when o["Fn::Split"] is JsonArray s =>
            string.Create(CultureInfo.InvariantCulture, $"split({Canonical(s[0], stack)},{Canonical(s[1], stack)})"),
        JsonObject o when o["Fn::Sub"] is JsonNode sub => Substitute(sub is JsonArray a ? (string)a[0]! : (string)sub!, stack),
        _ => "?",
    };

    // ${X} in Fn::Sub text as Canonical renders Ref X.
    private static string Substitute(string text, string stack)
    {
        var parts = text.Split("${");
        var result = new StringBuilder(parts[0]);
        foreach (var part in parts.Skip(1))
        {
            var end = part.IndexOf('}', StringComparison.Ordinal);
            result.Append(Token(stack, part[..end])).Append(part[(end + 1)..]);
        }

        return result.ToString();
    }

    // Pseudo parameters other than the stack id are the same in every stack; a stack id names its stack.
    private static string Token(string stack, string name) =>
        name.StartsWith("AWS::", StringComparison.Ordinal) && name != ResourceId.StackItself ? "${" + name + "}" : "${" + stack + "." + name + "}";

    /// <summary>The roles a resource runs with or passes (the IAM roles of its own stack it names).</summary>
    public IEnumerable<ResourceId> RolesOf(ResourceId id, JsonObject resource) =>
        References(Properties(resource), id.Stack)
            .Where(t => t.Stack == id.Stack && Type(t) == "AWS::IAM::Role")
            .Distinct();

    /// <summary>The statements of a role's policies: inline, attached policies naming it, managed policies it attaches.</summary>
    public IEnumerable<Grant> Grants(ResourceId role)
    {
        var resource = Resource(role)!;
        var attached = (Properties(resource)?["ManagedPolicyArns"]?.AsArray() ?? [])
            .Select(reference => (string?)reference?["Ref"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var documents = (Properties(resource)?["Policies"]?.AsArray() ?? []).Select(p => p?["PolicyDocument"])
            .Concat(Resources(role.Stack)
                .Where(p => TypeOf(p.Resource) is "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy"
                    && ((Properties(p.Resource)?["Roles"]?.AsArray() ?? []).Any(r => (string?)r?["Ref"] == role.Id) || attached.Contains(p.Id.Id)))
                .Select(p => Properties(p.Resource)?["PolicyDocument"]));
        foreach (var statement in documents.SelectMany(d => d?["Statement"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            if ((string?)statement["Effect"] == "Deny")
            {
                continue;
            }

            var actions = statement["Action"] switch
            {
                JsonArray a => a.Select(x => (string)x!).ToList(),
                JsonValue v => [(string)v!],
                _ => [],
            };
            yield return new Grant(actions, statement["Resource"]);
        }
    }

    /// <summary>Every string-valued leaf of a tree (plain strings and intrinsic values), canonical.</summary>
    public IEnumerable<string> Strings(JsonNode? node, string stack)
    {
        switch (node)
        {
            case JsonValue:
                yield return Canonical(node, stack);
                break;
            case JsonObject o when o.Any(p => p.Key.StartsWith("Fn::", StringComparison.Ordinal) || p.Key == "Ref"):
                yield return Canonical(o, stack);
                break;
            case JsonObject o:
                foreach (var s in o.SelectMany(p => Strings(p.Value, stack)))
                {
                    yield return s;
                }

                break;
            case JsonArray a:
                foreach (var s in a.SelectMany(item => Strings(item, stack)))
                {
                    yield return s;
                }

                break;
        }
    }
}
