using Pipeline.Infra.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Infra.Tests.PolicyGates;

/// <summary>
/// The deployability gate over every synthesized template of both presets: AWS's offline CloudFormation validator finds
/// nothing CloudFormation would reject, every warning it raises is acknowledged with a reason, and no Lambda function
/// (CDK's own providers included) is on a runtime AWS Lambda has deprecated or no longer creates, and every state machine
/// is valid Amazon States Language. The gate's own tests
/// (tests/deploy-gate/deploy-gate.test.mjs) prove that each check fails on a template that breaks it.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class DeployabilityGateTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Gate_EveryAppTemplate_NoFatalOrErrorDiagnostics()
    {
        var result = AppGateRun();

        Assert.True(result.ExitCode == 0, result.Summary + result.Errors);
        Assert.Empty(result.PerTemplate("blocking").Select(d => $"{d["severity"]} {d["ruleId"]} {d["resource"]}: {d["message"]}"));
        Assert.Equal(0, result.Total("FATAL") + result.Total("ERROR"));
        Assert.Equal(0, result.Total("stateMachinesInvalid"));
        Assert.True(result.Total("resources") > 100, "The gate validated almost nothing.");
    }

    [Fact]
    public void Gate_EveryAppTemplate_EveryWarningAcknowledgedAndEveryAcknowledgementUsed()
    {
        var result = AppGateRun();

        Assert.Empty(result.PerTemplate("unacknowledged").Select(d => $"{d["ruleId"]} {d["resource"]}: {d["message"]}"));
        Assert.Equal(0, result.Total("unusedAcknowledgements"));
        var acknowledged = result.PerTemplate("acknowledged").Select(d => $"{d["ruleId"]} {d["resourceType"]}").Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["W1030 ", "W1030 AWS::SageMaker::Model", "W3005 AWS::KinesisFirehose::DeliveryStream", "W3005 AWS::Lambda::Function", "W3005 AWS::StepFunctions::StateMachine"], acknowledged);
    }

    [Fact]
    public void Gate_EveryAppTemplate_PrintsTheWholeSummary()
    {
        var result = AppGateRun();

        Assert.EndsWith("  RESULT: PASS (exit 0)\n", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_EveryFunction_OnASupportedRuntime()
    {
        var result = AppGateRun();
        var runtimes = result.PerTemplate("runtimes").Select(r => $"{r["runtime"]} {r["status"]}").Distinct().Order(StringComparer.Ordinal);

        // The C# transform on dotnet10; CDK's providers (default security group, bucket auto-delete) pinned by ProviderNodeRuntime.
        Assert.Equal(["dotnet10 supported", "nodejs24.x supported"], runtimes);
        Assert.Equal(0, result.Total("runtimesDeprecated") + result.Total("runtimesBlocked") + result.Total("runtimesUnknown"));
    }

    private GateResult AppGateRun()
    {
        var result = fixture.Gates.Deploy;
        output.WriteLine(result.Summary);
        return result;
    }
}
