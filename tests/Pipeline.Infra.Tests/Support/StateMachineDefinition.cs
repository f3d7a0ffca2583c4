using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Support;

/// <summary>
/// A synthesized state machine's definition as JSON: the <c>DefinitionString</c>'s <c>Fn::Join</c> parts concatenated,
/// each deploy-time value written as a readable marker (<c>&lt;Ref:Id&gt;</c>, <c>&lt;GetAtt:Id.Attr&gt;</c>,
/// <c>&lt;Import:Name&gt;</c>, <c>&lt;Select&gt;</c>, <c>&lt;Sub:text&gt;</c>), so tests can assert what each state receives.
/// </summary>
public static class StateMachineDefinition
{
    /// <summary>Renders the definition of the only state machine of a template.</summary>
    public static JsonObject Of(TemplateJson template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var definition = Assert.Single(template.OfType("AWS::StepFunctions::StateMachine")).Value["Properties"]!["DefinitionString"]!;
        return JsonNode.Parse(Render(definition))!.AsObject();
    }

    /// <summary>Renders the definition of the state machine whose logical id starts with <paramref name="prefix"/>.</summary>
    public static JsonObject Of(TemplateJson template, string prefix)
    {
        ArgumentNullException.ThrowIfNull(template);
        var id = template.LogicalId("AWS::StepFunctions::StateMachine", prefix);
        return JsonNode.Parse(Render(template.Resources[id]!["Properties"]!["DefinitionString"]!))!.AsObject();
    }

    /// <summary>Renders a template string value (a literal or an <c>Fn::Join</c>) with the same markers.</summary>
    public static string Render(JsonNode node) => node switch
    {
        JsonValue value => (string)value!,
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(p => Render(p!))),
        JsonObject o when o["Ref"] is JsonValue id => $"<Ref:{id}>",
        JsonObject o when o["Fn::GetAtt"] is JsonArray attribute => $"<GetAtt:{attribute[0]}.{attribute[1]}>",
        JsonObject o when o["Fn::ImportValue"] is JsonValue name => $"<Import:{name}>",
        JsonObject o when o["Fn::FindInMap"] is JsonArray find => $"<FindInMap:{find[0]}>",
        JsonObject o when o["Fn::Select"] is not null => "<Select>",
        JsonObject o when o["Fn::Sub"] is JsonValue text => $"<Sub:{text}>",
        _ => throw new InvalidOperationException($"No marker for {node.ToJsonString()}."),
    };
}
