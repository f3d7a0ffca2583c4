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
        var json = fixture.Sandbox.Json(Stack);
        var output = json.Root["Outputs"]!["PromoteStateMachineArn"]!;
        var description = (string?)output["Description"];

        Assert.Equal(json.LogicalId("AWS::StepFunctions::StateMachine", "Promote"), (string?)output["Value"]!["Ref"]);
        Assert.Contains("aws stepfunctions start-execution --state-machine-arn <this>", description, StringComparison.Ordinal);
        Assert.Contains("\"modelPackageArn\"", description, StringComparison.Ordinal);
        Assert.Contains("\"allowOlder\":true", description, StringComparison.Ordinal);
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
        var value = fixture.Sandbox.Json(Stack).Root["Outputs"]!["Serving"]!["Value"]!["Fn::If"]!.AsArray();

        Assert.Equal("HasModel", (string?)value[0]);
        TemplateJson.AssertEqual($$"""{ "Ref": "{{ServingStack.ModelPackageParameter}}" }""", value[1]);
        Assert.Contains($"{ServingStack.ModelPackageParameter}=", (string?)value[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Endpoint_Profile_StartsWithTheMinimumFleetAndShiftsTrafficAsConfigured(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var settings = fixture.ByName(profile).Settings.Endpoint;
        var endpoint = Assert.Single(json.OfType("AWS::SageMaker::Endpoint")).Value["Properties"]!;

        Assert.Equal(settings.CanaryPercent > 0 ? "CANARY" : "ALL_AT_ONCE",
            (string?)endpoint["DeploymentConfig"]!["BlueGreenUpdatePolicy"]!["TrafficRoutingConfiguration"]!["Type"]);
        Assert.Equal(settings.MinInstances,
            (int)Assert.Single(json.OfType("AWS::SageMaker::EndpointConfig")).Value["Properties"]!["ProductionVariants"]![0]!["InitialInstanceCount"]!);
    }
}
