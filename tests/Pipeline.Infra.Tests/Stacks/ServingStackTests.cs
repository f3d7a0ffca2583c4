using Pipeline.Infra.Stacks;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class ServingStackTests(AppFixture fixture)
{
    private const string Stack = "Serving";

    [Theory]
    [InlineData("", true)]
    [InlineData("arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlpipe-sandbox-models-0a1b2c3d/7", true)]
    [InlineData("arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlpipe-sandbox-models-0a1b2c3d", false)]
    [InlineData("mlpipe-sandbox-models-0a1b2c3d/7", false)]
    public void Parameter_ModelPackageArn_EmptyOrAVersionArnOnly(string value, bool allowed)
    {
        var parameter = fixture.Sandbox.Json(Stack).Root["Parameters"]![ServingStack.ModelPackageParameter]!;

        Assert.Equal("", (string?)parameter["Default"]);
        Assert.Equal(allowed, System.Text.RegularExpressions.Regex.IsMatch(value, (string)parameter["AllowedPattern"]!));
    }

    [Fact]
    public void Resources_WithoutModel_OnlyPromotionDriftWorkflowAndTheEndpointNameParameterExist()
    {
        var json = fixture.Sandbox.Json(Stack);
        var unconditional = json.Resources.Where(r => r.Value!["Condition"] is null).ToList();

        // The drift workflow, its function and its workgroup bill nothing while idle; its schedule and alarms need a model.
        Assert.Equal(
            [
                "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Alarm", "AWS::Events::Rule", "AWS::IAM::ManagedPolicy", "AWS::IAM::ManagedPolicy",
                "AWS::IAM::Role", "AWS::IAM::Role", "AWS::Logs::LogGroup", "AWS::StepFunctions::StateMachine",
            ],
            unconditional.Where(r => r.Key.StartsWith("Promote", StringComparison.Ordinal)).Select(r => (string)r.Value!["Type"]!).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "AWS::Athena::WorkGroup", "AWS::EC2::SecurityGroup", "AWS::IAM::ManagedPolicy", "AWS::IAM::ManagedPolicy", "AWS::IAM::ManagedPolicy", "AWS::IAM::ManagedPolicy",
                "AWS::IAM::Role", "AWS::IAM::Role", "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Logs::LogGroup", "AWS::Logs::LogGroup",
                "AWS::StepFunctions::StateMachine",
            ],
            unconditional.Where(r => r.Key.StartsWith("Drift", StringComparison.Ordinal)).Select(r => (string)r.Value!["Type"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["EndpointNameParameter"], unconditional.Where(r => !r.Key.StartsWith("Promote", StringComparison.Ordinal) && !r.Key.StartsWith("Drift", StringComparison.Ordinal)).Select(r => r.Key[..^8]));
        Assert.All(
            json.Resources.Where(r => r.Value!["Condition"] is not null && !((string)r.Value!["Type"]!).StartsWith("AWS::ApplicationAutoScaling::", StringComparison.Ordinal)),
            r => Assert.Equal("HasModel", (string?)r.Value!["Condition"]));
    }

    [Fact]
    public void Output_PromoteStateMachineArn_SaysHowToServeAVersionByHand()
    {
        var output = fixture.Sandbox.Json(Stack).Root["Outputs"]!["PromoteStateMachineArn"]!;

        Assert.Equal(
            """Serve a model version by hand (a rollback): aws stepfunctions start-execution --state-machine-arn <this> --input '{"modelPackageArn":"<version ARN>","allowOlder":true}'""",
            (string?)output["Description"]);
    }

    [Fact]
    public void Conditions_ScalingAttachedOnlyWithAModelAndAutoScalingEnabled()
    {
        var json = fixture.Sandbox.Json(Stack);

        TemplateJson.AssertEqual("""
            {
              "HasModel": { "Fn::Not": [{ "Fn::Equals": [{ "Ref": "ModelPackageArn" }, ""] }] },
              "ScalesAutomatically": { "Fn::And": [{ "Condition": "HasModel" }, { "Fn::Equals": [{ "Ref": "AutoScaling" }, "enabled"] }] }
            }
            """, json.Root["Conditions"]);
        Assert.Equal(
            [("AWS::ApplicationAutoScaling::ScalableTarget", "ScalesAutomatically"), ("AWS::ApplicationAutoScaling::ScalingPolicy", "ScalesAutomatically")],
            json.Resources.Where(r => ((string)r.Value!["Type"]!).StartsWith("AWS::ApplicationAutoScaling::", StringComparison.Ordinal))
                .Select(r => ((string)r.Value!["Type"]!, (string)r.Value!["Condition"]!)));
    }

    [Fact]
    public void Parameter_AutoScaling_EnabledByDefaultEnabledOrDisabledOnly()
    {
        var parameter = fixture.Sandbox.Json(Stack).Root["Parameters"]![ServingStack.AutoScalingParameter]!;

        Assert.Equal("enabled", (string?)parameter["Default"]);
        TemplateJson.AssertEqual("""["enabled", "disabled"]""", parameter["AllowedValues"]);
    }

    [Fact]
    public void Endpoint_Name_StableAndPublished()
    {
        var json = fixture.Production.Json(Stack);

        Assert.Equal("mlpipe-production-endpoint", (string?)Assert.Single(json.OfType("AWS::SageMaker::Endpoint")).Value["Properties"]!["EndpointName"]);
        Assert.Equal("mlpipe-production-endpoint", (string?)Assert.Single(json.OfType("AWS::SSM::Parameter")).Value["Properties"]!["Value"]);
        Assert.Equal(("mlpipe-production-endpoint", "HasModel"), ((string?)json.Root["Outputs"]!["EndpointName"]!["Value"], (string?)json.Root["Outputs"]!["EndpointName"]!["Condition"]));
    }

    [Fact]
    public void Output_Serving_NamesThePackageOrHowToServeOne()
    {
        TemplateJson.AssertEqual("""
            { "Fn::If": ["HasModel", { "Ref": "ModelPackageArn" }, "none: update the stack with ModelPackageArn=<approved model package version ARN>"] }
            """, fixture.Sandbox.Json(Stack).Root["Outputs"]!["Serving"]!["Value"]);
    }

    [Fact]
    public void Endpoint_Sandbox_OneInstanceAllAtOnce()
    {
        var json = fixture.Sandbox.Json(Stack);
        var endpoint = Assert.Single(json.OfType("AWS::SageMaker::Endpoint")).Value["Properties"]!;

        Assert.Equal("ALL_AT_ONCE", (string?)endpoint["DeploymentConfig"]!["BlueGreenUpdatePolicy"]!["TrafficRoutingConfiguration"]!["Type"]);
        Assert.Equal(1, (int)Assert.Single(json.OfType("AWS::SageMaker::EndpointConfig")).Value["Properties"]!["ProductionVariants"]![0]!["InitialInstanceCount"]!);
    }
}
