using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Infra.Tests.PolicyGates;

/// <summary>
/// The rehearsal gate over every synthesized template of both presets: each state machine runs, in a real ASL
/// interpreter (aws-local-stepfunctions), through its scenarios against mocks that validate every request against the
/// AWS API model and answer with the documented response shape, and every call is checked against the permissions of
/// the role that makes it. The gate's own tests (tests/rehearsal/*.test.mjs, tests/rehearsal/iam/*.test.mjs) prove
/// that it fails on a definition or a policy that breaks it.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class RehearsalGateTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Gate_EveryWorkflowOfBothProfiles_EveryScenarioEndsAsAwsWould()
    {
        var result = GateRun();

        Assert.Empty(Scenarios(result).Where(s => !(bool)s.Scenario["passed"]!)
            .Select(s => $"{s.Workflow["stack"]} {s.Scenario["name"]}: {string.Join("; ", s.Scenario["problems"]!.AsArray().Select(p => p!.ToString()))}"));
        Assert.True(result.ExitCode == 0, result.Summary + result.Errors);
    }

    [Fact]
    public void Gate_EveryWorkflowOfBothProfiles_Rehearsed()
    {
        var result = GateRun();

        // train, promote and drift, in sandbox and production.
        Assert.Equal(
            [
                "mlpipe-production-serving drift", "mlpipe-production-serving promote", "mlpipe-production-training train",
                "mlpipe-sandbox-serving drift", "mlpipe-sandbox-serving promote", "mlpipe-sandbox-training train",
            ],
            Workflows(result).Select(w => $"{w["stack"]} {w["kind"]}").Order(StringComparer.Ordinal));
        Assert.All(Workflows(result), w => Assert.True(w["scenarios"]!.AsArray().Count >= 10, $"{w["stack"]}: too few scenarios."));
    }

    [Fact]
    public void Gate_EveryCall_ValidAgainstTheApiModelAndPermitted()
    {
        var result = GateRun();

        Assert.Empty(Workflows(result).SelectMany(w => w["findings"]!.AsArray()).Select(f => f!.ToJsonString()));
        Assert.Equal(0, result.Total("findings"));
    }

    [Fact]
    public void Gate_Definitions_UseNoConstructTheInterpreterRunsDifferently()
    {
        var result = GateRun();

        Assert.Empty(Workflows(result).SelectMany(w => w["unreliable"]!.AsArray()).Select(u => u!.ToJsonString()));
        Assert.Equal(0, result.Total("unreliable"));
    }

    [Fact]
    public void Gate_EveryAppTemplate_PrintsTheWholeSummary()
    {
        var result = GateRun();

        Assert.EndsWith("  RESULT: PASS (exit 0)\n", result.Summary, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> Workflows(GateResult result) =>
        result.Report["workflows"]!.AsArray().Select(w => w!.AsObject());

    private static IEnumerable<(JsonObject Workflow, JsonObject Scenario)> Scenarios(GateResult result) =>
        Workflows(result).SelectMany(w => w["scenarios"]!.AsArray().Select(s => (w, s!.AsObject())));

    private GateResult GateRun()
    {
        var result = fixture.Gates.Rehearsal;
        output.WriteLine(result.Summary);
        return result;
    }
}
