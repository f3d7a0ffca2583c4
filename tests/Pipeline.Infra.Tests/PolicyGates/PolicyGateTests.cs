using Pipeline.Infra.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Infra.Tests.PolicyGates;

/// <summary>
/// The policy gates over every synthesized template of every preset: zero unsuppressed cdk-nag errors, zero failed
/// Control Tower controls, and only the reviewed suppressions. The gate's own tests (tests/policy-gates/gate.test.mjs)
/// prove that it fails on insecure templates.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class PolicyGateTests(AppFixture fixture, ITestOutputHelper output)
{
    // Every suppression in the app, as "rule  resource-logical-id-prefix" with the prefix and profile in names written
    // as <prefix-profile>. A new one must be added here on purpose.
    private static readonly string[] ReviewedSuppressions =
    [
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]  CustomS3AutoDeleteObjectsCustomResourceProviderRole",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]  CustomVpcRestrictDefaultSGCustomResourceProviderRole",
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]  RawCrawlerRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Action::kms:ReEncrypt*]  RawCrawlerRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  DriftFunctionRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  DriftFunctionVpcAccess",
        "AwsSolutions-IAM5[Resource::*]  DriftRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  EndpointRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  EvaluateRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  EvaluateVpcAccess",
        "AwsSolutions-IAM5[Resource::*]  PrepareRunRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  PrepareRunVpcAccess",
        "AwsSolutions-IAM5[Resource::*]  PromoteRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  TrainRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  TrainingRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  TransformRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::*]  TransformVpcAccess",
        "AwsSolutions-IAM5[Resource::<Lake42DFAD75.Arn>/raw/telemetry/*]  RawCrawlerRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/athena-results/*]  DriftRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/athena-results/*]  TrainRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/curated/telemetry/*]  DeliveryRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/curated/telemetry/*]  TrainRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/data-capture/*]  DriftRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/data-capture/*]  EndpointRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/drift/*]  DriftFunctionRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/errors/telemetry/*]  DeliveryRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/models/*]  DriftFunctionRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/models/*]  EndpointRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/models/*]  EvaluateRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/models/*]  PrepareRunRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/models/*]  TrainingRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/raw/telemetry/*]  DeliveryRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/training/*]  TrainRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::<prefix-profile>-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469/training/*]  TrainingRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]  EndpointRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]  TrainingRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/<prefix-profile>-lake/*]  RawCrawlerRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/<prefix-profile>-lake/raw_*]  RawCrawlerRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/crawlers*]  RawCrawlerRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/Endpoints/<prefix-profile>-endpoint:log-stream:*]  EndpointRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/TrainingJobs:log-stream:*]  TrainingRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:hyper-parameter-tuning-job/xgb-*]  TrainRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model-package/<prefix-profile>-models-{\"Fn::Select\":[0,{\"Fn::Split\":[\"-\",{\"Fn::Select\":[2,{\"Fn::Split\":[\"/\",{\"Fn::ImportValue\":\"<prefix-profile>-data-lake:ExportsOutputRefAWSStackIdB2DD5BAA\"}]}]}]}]}/*]  DriftRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model-package/<prefix-profile>-models-{\"Fn::Select\":[0,{\"Fn::Split\":[\"-\",{\"Fn::Select\":[2,{\"Fn::Split\":[\"/\",{\"Fn::ImportValue\":\"<prefix-profile>-data-lake:ExportsOutputRefAWSStackIdB2DD5BAA\"}]}]}]}]}/*]  PromoteRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model-package/<prefix-profile>-models-{\"Fn::Select\":[0,{\"Fn::Split\":[\"-\",{\"Fn::Select\":[2,{\"Fn::Split\":[\"/\",{\"Fn::ImportValue\":\"<prefix-profile>-data-lake:ExportsOutputRefAWSStackIdB2DD5BAA\"}]}]}]}]}/*]  TrainRoleDefaultPolicyManaged",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:training-job/xgb-*]  TrainRoleDefaultPolicyManaged",
        "AwsSolutions-KDF1  Delivery",
        "AwsSolutions-KDS3  Stream",
        "CT.LAMBDA.PR.3  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "CT.LAMBDA.PR.3  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "CT.S3.PR.10  LakeAccessLogs",
        "CT.S3.PR.2  LakeAccessLogs",
        "HIPAA.Security-IAMNoInlinePolicy  CustomVpcRestrictDefaultSGCustomResourceProviderRole",
        "HIPAA.Security-LambdaConcurrency  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "HIPAA.Security-LambdaConcurrency  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "HIPAA.Security-LambdaConcurrency  DriftFunction",
        "HIPAA.Security-LambdaConcurrency  Evaluate",
        "HIPAA.Security-LambdaConcurrency  PrepareRun",
        "HIPAA.Security-LambdaConcurrency  Transform",
        "HIPAA.Security-LambdaDLQ  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "HIPAA.Security-LambdaDLQ  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "HIPAA.Security-LambdaDLQ  DriftFunction",
        "HIPAA.Security-LambdaDLQ  Evaluate",
        "HIPAA.Security-LambdaDLQ  PrepareRun",
        "HIPAA.Security-LambdaDLQ  Transform",
        "HIPAA.Security-LambdaInsideVPC  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "HIPAA.Security-LambdaInsideVPC  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "HIPAA.Security-S3BucketReplicationEnabled  Lake",
        "HIPAA.Security-S3BucketReplicationEnabled  LakeAccessLogs",
        "HIPAA.Security-S3DefaultEncryptionKMS  LakeAccessLogs",
        "HIPAA.Security-VPCDefaultSecurityGroupClosed  NetworkVpc",
        "NIST.800.53.R5-IAMNoInlinePolicy  CustomVpcRestrictDefaultSGCustomResourceProviderRole",
        "NIST.800.53.R5-LambdaConcurrency  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "NIST.800.53.R5-LambdaConcurrency  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "NIST.800.53.R5-LambdaConcurrency  DriftFunction",
        "NIST.800.53.R5-LambdaConcurrency  Evaluate",
        "NIST.800.53.R5-LambdaConcurrency  PrepareRun",
        "NIST.800.53.R5-LambdaConcurrency  Transform",
        "NIST.800.53.R5-LambdaDLQ  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "NIST.800.53.R5-LambdaDLQ  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "NIST.800.53.R5-LambdaDLQ  DriftFunction",
        "NIST.800.53.R5-LambdaDLQ  Evaluate",
        "NIST.800.53.R5-LambdaDLQ  PrepareRun",
        "NIST.800.53.R5-LambdaDLQ  Transform",
        "NIST.800.53.R5-LambdaInsideVPC  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "NIST.800.53.R5-LambdaInsideVPC  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "NIST.800.53.R5-S3BucketReplicationEnabled  Lake",
        "NIST.800.53.R5-S3BucketReplicationEnabled  LakeAccessLogs",
        "NIST.800.53.R5-S3DefaultEncryptionKMS  LakeAccessLogs",
        "NIST.800.53.R5-VPCDefaultSecurityGroupClosed  NetworkVpc",
        "PCI.DSS.321-IAMNoInlinePolicy  CustomVpcRestrictDefaultSGCustomResourceProviderRole",
        "PCI.DSS.321-LambdaInsideVPC  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "PCI.DSS.321-LambdaInsideVPC  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "PCI.DSS.321-S3BucketReplicationEnabled  Lake",
        "PCI.DSS.321-S3BucketReplicationEnabled  LakeAccessLogs",
        "PCI.DSS.321-S3DefaultEncryptionKMS  LakeAccessLogs",
        "PCI.DSS.321-VPCDefaultSecurityGroupClosed  NetworkVpc",
        "Serverless-EventBusDLQ  DriftSchedule",
        "Serverless-EventBusDLQ  PromoteApprovalRule",
        "Serverless-EventBusDLQ  Schedule",
        "Serverless-LambdaDLQ  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "Serverless-LambdaDLQ  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "Serverless-LambdaDLQ  DriftFunction",
        "Serverless-LambdaDLQ  Evaluate",
        "Serverless-LambdaDLQ  PrepareRun",
        "Serverless-LambdaDLQ  Transform",
        "Serverless-LambdaTracing  CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
        "Serverless-LambdaTracing  CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
        "Serverless-LambdaTracing  DriftFunction",
        "Serverless-LambdaTracing  Evaluate",
        "Serverless-LambdaTracing  PrepareRun",
        "Serverless-LambdaTracing  Transform",
    ];

    [Fact]
    public void Gate_EveryAppTemplate_NoUnsuppressedCdkNagErrorsAndNoFailedControls()
    {
        var result = AppGateRun();

        Assert.True(result.ExitCode == 0, result.Summary + result.Errors);
        Assert.Equal(0, result.Total("nagErrors"));
        Assert.Equal(0, result.Total("controlsFailed"));
        Assert.True(result.Total("controlsPassed") > 0, "The gate evaluated no Control Tower control.");
        Assert.True(result.Total("nagPassed") > 0, "The gate evaluated no cdk-nag rule.");
    }

    [Fact]
    public void Gate_EveryAppTemplate_PrintsTheWholeSummary()
    {
        var result = AppGateRun();

        // The summary is far over a pipe's 64 KiB; it must reach its last line (the totals and the result).
        Assert.Equal(result.Total("templates"), result.Summary.Split('\n').Count(l => l.StartsWith("=== ", StringComparison.Ordinal)) - 1);
        Assert.EndsWith("  RESULT: PASS (exit 0)\n", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_EveryAppTemplate_ResolvesEveryCrossStackImport()
    {
        var result = AppGateRun();

        // An import left unresolved is a value the Control Tower controls cannot see.
        Assert.Equal(0, result.Total("importsUnresolved"));
    }

    [Fact]
    public void Gate_EveryAppTemplate_NoWarningsLeft()
    {
        var result = AppGateRun();

        Assert.Empty(result.Findings("nagWarnings").Select(f => $"{RuleOf(f)}  {f["resource"]}"));
    }

    [Fact]
    public void Gate_EveryAppTemplate_SuppressesOnlyTheReviewedFindingsWithReasons()
    {
        var result = AppGateRun();
        var suppressed = result.Findings("nagSuppressed").Select(f => (RuleOf(f), (string)f["resource"]!, (string?)f["reason"]))
            .Concat(result.Findings("controlsSuppressed").Select(f => ((string)f["controlId"]!, (string)f["resource"]!, (string?)f["reason"])))
            .ToList();

        Assert.All(suppressed, s => Assert.True(s.Item3 is { Length: >= 20 }, $"{s.Item1} on {s.Item2} has no reviewable reason."));
        var distinct = suppressed.Select(s => $"{ProfileNeutral(s.Item1)}  {TrimHash(s.Item2)}").Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(ReviewedSuppressions.Order(StringComparer.Ordinal), distinct);
        Assert.Equal(0, result.Total("unusedSuppressions"));
    }

    /// <summary>The rule as cdk-nag names a finding: <c>RuleId</c> or <c>RuleId[FindingId]</c> for granular rules.</summary>
    private static string RuleOf(System.Text.Json.Nodes.JsonObject finding) =>
        (string?)finding["findingId"] is { Length: > 0 } id ? $"{finding["ruleId"]}[{id}]" : (string)finding["ruleId"]!;

    private static string ProfileNeutral(string finding) =>
        finding.Replace("mlpipe-sandbox", "<prefix-profile>", StringComparison.Ordinal)
            .Replace("mlpipe-production", "<prefix-profile>", StringComparison.Ordinal)
            .Replace("mlpipe_sandbox_lake", "<prefix-profile>-lake", StringComparison.Ordinal)
            .Replace("mlpipe_production_lake", "<prefix-profile>-lake", StringComparison.Ordinal);

    private static string TrimHash(string logicalId) => logicalId.Length > 8 ? logicalId[..^8] : logicalId;

    private GateResult AppGateRun()
    {
        var result = fixture.Gates.Policy;
        output.WriteLine(result.Summary);
        return result;
    }
}
