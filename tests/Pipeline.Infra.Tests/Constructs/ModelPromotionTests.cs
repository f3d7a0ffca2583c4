using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Serving;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class ModelPromotionTests(AppFixture fixture)
{
    private const string Stack = "Serving";

    private const string GroupName = """{"Fn::Join": ["", ["mlpipe-sandbox-models-", {"Fn::Select": [0, {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", {"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputRefAWSStackIdB2DD5BAA"}]}]}]}]}]]}""";

    private const string BootstrapRole = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}";

    [Fact]
    public void ApprovalRule_ApprovedCompleteVersionOfTheGroup_StartsPromoteWithItsArn()
    {
        var json = fixture.Sandbox.Json(Stack);
        var rule = json.Resources[json.LogicalId("AWS::Events::Rule", "PromoteApprovalRule")]!["Properties"]!;

        TemplateJson.AssertEqual($$"""
            {
              "detail": { "ModelPackageGroupName": [{{GroupName}}], "ModelApprovalStatus": ["Approved"], "ModelPackageStatus": ["Completed"] },
              "detail-type": ["SageMaker Model Package State Change"],
              "source": ["aws.sagemaker"]
            }
            """, rule["EventPattern"]);
        TemplateJson.AssertEqual($$"""
            [{
              "Arn": { "Ref": "{{json.LogicalId("AWS::StepFunctions::StateMachine", "Promote")}}" },
              "Id": "Target0",
              "InputTransformer": { "InputPathsMap": { "detail-ModelPackageArn": "$.detail.ModelPackageArn" }, "InputTemplate": "{\"modelPackageArn\":<detail-ModelPackageArn>}" },
              "RoleArn": { "Fn::GetAtt": ["{{json.LogicalId("AWS::IAM::Role", "PromoteApprovalRole")}}", "Arn"] }
            }]
            """, rule["Targets"]);
    }

    [Fact]
    public void ApprovalRole_Policy_StartsOnlyPromoteWithItsDataKey()
    {
        var json = fixture.Sandbox.Json(Stack);
        var machine = json.LogicalId("AWS::StepFunctions::StateMachine", "Promote");

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                { "Action": "states:StartExecution", "Effect": "Allow", "Resource": { "Ref": "{{machine}}" } },
                { "Action": "kms:GenerateDataKey", "Condition": { "StringEquals": { "kms:EncryptionContext:aws:states:stateMachineArn": { "Ref": "{{machine}}" } } }, "Effect": "Allow",
                  "Resource": { "Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3" } }
              ],
              "Version": "2012-10-17"
            }
            """, json.Resources[json.LogicalId("AWS::IAM::ManagedPolicy", "PromoteApprovalRoleDefaultPolicy")]!["Properties"]!["PolicyDocument"]);
        TemplateJson.AssertEqual("""
            { "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } }, "ArnLike": { "aws:SourceArn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":events:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":rule/*"]] } } }
            """, json.Resources[json.LogicalId("AWS::IAM::Role", "PromoteApprovalRole")]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]);
    }

    [Fact]
    public void Role_Policy_ReadsTheRegistryUpdatesOnlyThisStackAsTheBootstrapRoleAndNotifies()
    {
        var json = fixture.Sandbox.Json(Stack);

        TemplateJson.AssertEqual("""
            {
              "Statement": [
                {"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Condition": {"StringLike": {"kms:EncryptionContext:aws:states:stateMachineArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":states:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":stateMachine:*"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3"}},
                {"Action": "kms:GenerateDataKey", "Condition": {"StringLike": {"kms:EncryptionContext:SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":*"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3"}},
                {"Action": ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery", "sagemaker:ListModelPackages", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"], "Effect": "Allow", "Resource": "*"},
                {"Action": "sagemaker:DescribeModelPackage", "Effect": "Allow", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":model-package/mlpipe-sandbox-models-", {"Fn::Select": [0, {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", {"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputRefAWSStackIdB2DD5BAA"}]}]}]}]}, "/*"]]}},
                {"Action": ["cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks"], "Effect": "Allow", "Resource": {"Ref": "AWS::StackId"}},
                {"Action": "cloudformation:UpdateStack", "Condition": {"StringEquals": {"cloudformation:RoleArn": {"Fn::Sub": "<bootstrap role>"}}}, "Effect": "Allow", "Resource": {"Ref": "AWS::StackId"}},
                {"Action": "ssm:GetParameters", "Effect": "Allow", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ssm:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":parameter/cdk-bootstrap/hnb659fds/version"]]}},
                {"Action": "iam:PassRole", "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}, "Effect": "Allow", "Resource": {"Fn::Sub": "<bootstrap role>"}},
                {"Action": "sns:Publish", "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputRefAlarmTopicB56431CAD8F6611B"}},
                {"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Join": ["", ["sns.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysNotificationsKeyF628B47EArn897F16EC"}}
              ],
              "Version": "2012-10-17"
            }
            """.Replace("<bootstrap role>", BootstrapRole, StringComparison.Ordinal), json.Resources[json.LogicalId("AWS::IAM::ManagedPolicy", "PromoteRoleDefaultPolicy")]!["Properties"]!["PolicyDocument"]);
    }

    [Fact]
    public void StateMachine_Sandbox_StandardEncryptedWithTheModelsKeyLoggedAndTraced()
    {
        var json = fixture.Sandbox.Json(Stack);
        var properties = json.Resources[json.LogicalId("AWS::StepFunctions::StateMachine", "Promote")]!["Properties"]!;

        Assert.Equal("STANDARD", (string?)properties["StateMachineType"]);
        TemplateJson.AssertEqual("""
            {
              "KmsDataKeyReusePeriodSeconds": 300,
              "KmsKeyId": { "Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3" },
              "Type": "CUSTOMER_MANAGED_KMS_KEY"
            }
            """, properties["EncryptionConfiguration"]);
        TemplateJson.AssertEqual($$"""
            {
              "Destinations": [{ "CloudWatchLogsLogGroup": { "LogGroupArn": { "Fn::GetAtt": ["{{json.LogicalId("AWS::Logs::LogGroup", "PromoteLogGroup")}}", "Arn"] } } }],
              "IncludeExecutionData": true,
              "Level": "ALL"
            }
            """, properties["LoggingConfiguration"]);
        TemplateJson.AssertEqual("""{ "Enabled": true }""", properties["TracingConfiguration"]);
    }

    [Fact]
    public void Definition_UpdateStack_ThisStackAsTheSynthesizersExecutionRole()
    {
        var update = StateMachineDefinition.Of(fixture.Sandbox.Json(Stack), "Promote")["States"]!["UpdateStack"]!["Parameters"]!;

        Assert.Equal("<Ref:AWS::StackId>", (string?)update["StackName"]);
        Assert.Equal($"<Sub:{BootstrapRole}>", (string?)update["RoleARN"]);
        TemplateJson.AssertEqual("""["CAPABILITY_IAM"]""", update["Capabilities"]);
    }

    [Fact]
    public void Definition_ServedPackage_ReadFromTheStacksOwnParameter()
    {
        var states = StateMachineDefinition.Of(fixture.Sandbox.Json(Stack), "Promote")["States"]!;

        Assert.Equal("ModelPackageArn", (string?)states["CheckServed"]!["ItemProcessor"]!["States"]!["ReadIsModelPackage"]!["Choices"]![0]!["And"]![0]!["StringEquals"]);
        Assert.Equal(
            "mlpipe-sandbox-models-<Select>",
            (string?)states["Promotable"]!["Choices"]![0]!["And"]![0]!["StringEquals"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Definition_NewValues_OnlyTheModelPackage(string profile)
    {
        var map = StateMachineDefinition.Of(fixture.ByName(profile).Json(Stack), "Promote")["States"]!["KeepParameters"]!;

        Assert.Equal(["ModelPackageArn"], map["ItemProcessor"]!["States"]!["IsModelPackage"]!["Choices"]!.AsArray().Select(c => (string)c!["StringEquals"]!));
    }

    [Fact]
    public void Alarms_FailedAndUndeliveredApprovals_NotifyTheAlarmTopic()
    {
        var json = fixture.Sandbox.Json(Stack);
        var alarms = json.OfType("AWS::CloudWatch::Alarm").Where(a => a.Key.StartsWith("Promote", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            [("AWS/States", "ExecutionsFailed"), ("AWS/Events", "FailedInvocations")],
            alarms.Select(a => ((string)a.Value["Properties"]!["Namespace"]!, (string)a.Value["Properties"]!["MetricName"]!)));
        Assert.All(alarms, a =>
        {
            TemplateJson.AssertEqual("""[{ "Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputRefAlarmTopicB56431CAD8F6611B" }]""", a.Value["Properties"]!["AlarmActions"]);
            Assert.Equal(("GreaterThanThreshold", 0, "notBreaching"), ((string)a.Value["Properties"]!["ComparisonOperator"]!, (int)a.Value["Properties"]!["Threshold"]!, (string)a.Value["Properties"]!["TreatMissingData"]!));
        });
    }

    [Fact]
    public void ExecutionRole_AnotherBootstrapQualifier_ThatBootstrapsRole()
    {
        var stack = StackWith(context: new Dictionary<string, object> { ["@aws-cdk/core:bootstrapQualifier"] = "team42" });

        var definition = StateMachineDefinition.Of(TemplateJson.FromStack(stack));

        Assert.Equal(
            "<Sub:arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-team42-cfn-exec-role-${AWS::AccountId}-${AWS::Region}>",
            (string?)definition["States"]!["UpdateStack"]!["Parameters"]!["RoleARN"]);
    }

    [Fact]
    public void BootstrapVersion_AnotherBootstrapQualifier_ReadsThatBootstrapsParameter()
    {
        var stack = StackWith(context: new Dictionary<string, object> { ["@aws-cdk/core:bootstrapQualifier"] = "team42" });
        var json = TemplateJson.FromStack(stack);

        // The parameter UpdateStack resolves is the one the synthesizer put in the template.
        Assert.Equal("/cdk-bootstrap/team42/version", (string?)json.Root["Parameters"]!["BootstrapVersion"]!["Default"]);
        var statement = json.SingleOf("AWS::IAM::Policy", p => p.ToJsonString().Contains("ssm:GetParameters", StringComparison.Ordinal)).Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()
            .Single(s => s!["Action"]!.ToJsonString() == "\"ssm:GetParameters\"")!;
        Assert.EndsWith(":parameter/cdk-bootstrap/team42/version\"]]}", statement["Resource"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutionRole_SynthesizerWithoutOne_FailsNamingTheFix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StackWith(new CliCredentialsStackSynthesizer()));

        Assert.StartsWith("Stack Test uses CliCredentialsStackSynthesizer,", error.Message, StringComparison.Ordinal);
        Assert.Contains("use DefaultStackSynthesizer", error.Message, StringComparison.Ordinal);
        Assert.Contains(ModelPromotion.BootstrapQualifierContext, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutionRole_SynthesizerCreatedInCSharp_FailsNamingTheFix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StackWith(new DefaultStackSynthesizer()));

        Assert.StartsWith("Stack Test was given a DefaultStackSynthesizer created in C#,", error.Message, StringComparison.Ordinal);
        Assert.Contains("leave the stack's synthesizer unset", error.Message, StringComparison.Ordinal);
        Assert.Contains(ModelPromotion.BootstrapQualifierContext, error.Message, StringComparison.Ordinal);
    }

    private static Amazon.CDK.Stack StackWith(IStackSynthesizer? synthesizer = null, Dictionary<string, object>? context = null)
    {
        var app = new App(new AppProps { AnalyticsReporting = false, Context = context });
        var stack = new Amazon.CDK.Stack(app, "Test", new StackProps { Synthesizer = synthesizer });
        var key = new Key(stack, "Key");
        _ = new ModelPromotion(stack, "Promote", new ModelPromotionProps
        {
            Registry = new ModelRegistry(stack, "Models", new ModelRegistryProps { GroupName = "models" }),
            ModelPackageParameter = new CfnParameter(stack, "ModelPackageArn", new CfnParameterProps { Type = "String", Default = string.Empty }),
            AlarmTopic = new AlarmTopic(stack, "Alarms", new AlarmTopicProps { EncryptionKey = key }),
            EncryptionKey = key,
            LogsKey = key,
            LogRetentionDays = 365,
        });
        return stack;
    }
}
