using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Stacks;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class TrainingStackTests(AppFixture fixture)
{
    private const string Stack = "Training";

    [Theory]
    [InlineData("sandbox", null)]
    [InlineData("production", 5)]
    public void Functions_Profile_ReserveTheConfiguredConcurrency(string profile, int? reserved)
    {
        var json = fixture.ByName(profile).Json(Stack);

        Assert.All(["PrepareRun", "Evaluate"], id =>
            Assert.Equal(reserved, (int?)json.Resources[json.LogicalId("AWS::Lambda::Function", id)]!["Properties"]!["ReservedConcurrentExecutions"]));
    }

    [Fact]
    public void Schedule_Sandbox_NoneSoRunsStartByHand()
    {
        Assert.Empty(fixture.Sandbox.Json(Stack).OfType("AWS::Events::Rule"));
    }

    [Fact]
    public void Schedule_Production_StartsTheEncryptedStateMachineWeeklyWithItsOwnRole()
    {
        var json = fixture.Production.Json(Stack);
        var rule = Assert.Single(json.OfType("AWS::Events::Rule")).Value["Properties"]!;

        Assert.Equal("cron(0 3 ? * SUN *)", (string?)rule["ScheduleExpression"]);
        Assert.Equal("ENABLED", (string?)rule["State"]);
        TemplateJson.AssertEqual($$"""{ "Ref": "{{json.LogicalId("AWS::StepFunctions::StateMachine", "Train")}}" }""", rule["Targets"]![0]!["Arn"]);
        Assert.Equal("{}", (string?)rule["Targets"]![0]!["Input"]);
        var roleId = json.LogicalId("AWS::IAM::Role", "ScheduleRole");
        TemplateJson.AssertEqual($$"""{ "Fn::GetAtt": ["{{roleId}}", "Arn"] }""", rule["Targets"]![0]!["RoleArn"]);
        var machine = $$"""{ "Ref": "{{json.LogicalId("AWS::StepFunctions::StateMachine", "Train")}}" }""";
        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                { "Action": "states:StartExecution", "Effect": "Allow", "Resource": {{machine}} },
                {
                  "Action": "kms:GenerateDataKey",
                  "Condition": { "StringEquals": { "kms:EncryptionContext:aws:states:stateMachineArn": {{machine}} } },
                  "Effect": "Allow",
                  "Resource": {{Exports.Import("production", "security-baseline", "ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3")}}
                }
              ],
              "Version": "2012-10-17"
            }
            """, json.SingleOf("AWS::IAM::ManagedPolicy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == roleId).Value["Properties"]!["PolicyDocument"]);
    }

    [Fact]
    public void Schedule_Production_RoleAssumableOnlyByThisAccountsEventBridgeRules()
    {
        var json = fixture.Production.Json(Stack);

        TemplateJson.AssertEqual("""
            {
              "Action": "sts:AssumeRole",
              "Condition": { "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } }, "ArnLike": { "aws:SourceArn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":events:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":rule/*"]] } } },
              "Effect": "Allow",
              "Principal": { "Service": "events.amazonaws.com" }
            }
            """, json.Resources[json.LogicalId("AWS::IAM::Role", "ScheduleRole")]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Alarms_FailedAndTimedOutRuns_NotifyTheAlarmTopic(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var alarms = json.OfType("AWS::CloudWatch::Alarm").Select(a => a.Value["Properties"]!).ToList();

        Assert.Equal(["ExecutionsFailed", "ExecutionsTimedOut"], alarms.Select(a => (string)a["MetricName"]!).Order(StringComparer.Ordinal));
        Assert.All(alarms, a =>
        {
            Assert.Equal("AWS/States", (string?)a["Namespace"]);
            Assert.Equal(0, (double)a["Threshold"]!);
            TemplateJson.AssertEqual(Exports.Import(profile, "security-baseline", "ExportsOutputRefAlarmTopicB56431CAD8F6611B"), a["AlarmActions"]![0]);
        });
    }

    [Theory]
    [InlineData("sandbox", "7", "1000", "10", "0.8", "true")]
    [InlineData("production", "30", "50000", "100", "0.85", "false")]
    public void Functions_Profile_ConfiguredFromTheTrainingSettings(string profile, string lookback, string rows, string positives, string auc, string autoApprove)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var lake = Exports.Import(profile, "data-lake", "ExportsOutputRefLake42DFAD751F6F374A");
        var codeVersion = DotnetFunctionCode.SourceVersion(RepositoryPaths.Root, TrainingStack.PrepareRunProject, TrainingStack.FunctionDependencies);

        TemplateJson.AssertEqual($$"""
            {
              "Variables": {
                "LAKE_BUCKET": {{lake}}, "GLUE_DATABASE": "mlpipe_{{profile}}_lake", "GLUE_TABLE": "telemetry", "LOOKBACK_DAYS": "{{lookback}}",
                "MINIMUM_ROWS": "{{rows}}", "MINIMUM_POSITIVES": "{{positives}}", "VALIDATION_FRACTION": "0.2", "SCALE_POS_WEIGHT": "auto",
                "TUNED_HYPERPARAMETERS": "eta,max_depth,min_child_weight,subsample", "JOB_NAME_PREFIX": "xgb", "CODE_VERSION": "{{codeVersion}}"
              }
            }
            """, json.Resources[json.LogicalId("AWS::Lambda::Function", "PrepareRun")]!["Properties"]!["Environment"]);
        TemplateJson.AssertEqual($$"""
            { "Variables": { "LAKE_BUCKET": {{lake}}, "MINIMUM_AUC": "{{auc}}", "REGRESSION_TOLERANCE": "0.01", "AUTO_APPROVE": "{{autoApprove}}" } }
            """, json.Resources[json.LogicalId("AWS::Lambda::Function", "Evaluate")]!["Properties"]!["Environment"]);
    }

    [Fact]
    public void Definition_Synthesized_WiresTheStacksResourcesIntoTheStates()
    {
        var json = fixture.Production.Json(Stack);
        var states = StateMachineDefinition.Of(json)["States"]!;
        string GetAtt(string type, string prefix, string attribute) => $"<GetAtt:{json.LogicalId(type, prefix)}.{attribute}>";

        Assert.Equal(GetAtt("AWS::Lambda::Function", "PrepareRun", "Arn"), (string?)states["PlanRun"]!["Parameters"]!["FunctionName"]);
        Assert.Equal(GetAtt("AWS::Lambda::Function", "Evaluate", "Arn"), (string?)states["Evaluate"]!["Parameters"]!["FunctionName"]);
        Assert.Equal($"<Ref:{json.LogicalId("AWS::Athena::WorkGroup", "Queries")}>", (string?)states["CountRows"]!["Parameters"]!["WorkGroup"]);
        var train = states["Train"]!["Parameters"]!;
        Assert.Equal(GetAtt("AWS::IAM::Role", "TrainingRole", "Arn"), (string?)train["RoleArn"]);
        Assert.Equal(GetAtt("AWS::EC2::SecurityGroup", "JobSecurityGroup", "GroupId"), (string?)train["VpcConfig"]!["SecurityGroupIds"]![0]);
        Assert.Equal(3, train["VpcConfig"]!["Subnets"]!.AsArray().Count);
        Assert.Equal("<Import:mlpipe-production-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3>", (string?)train["OutputDataConfig"]!["KmsKeyId"]);
        Assert.Matches(@"^<FindInMap:Xgboost[A-Za-z0-9]+>\.dkr\.ecr\.<Ref:AWS::Region>\.<Ref:AWS::URLSuffix>/sagemaker-xgboost:1\.7-1$",
            (string)train["AlgorithmSpecification"]!["TrainingImage"]!);
        TemplateJson.AssertEqual("""{ "MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 5400 }""", train["StoppingCondition"]);
        TemplateJson.AssertEqual("""{ "MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 4 }""",
            states["Tune"]!["Parameters"]!["HyperParameterTuningJobConfig"]!["ResourceLimits"]);
        Assert.Equal("<Import:mlpipe-production-security-baseline:ExportsOutputRefAlarmTopicB56431CAD8F6611B>", (string?)states["NotifyFailure"]!["Parameters"]!["TopicArn"]);
        Assert.StartsWith("mlpipe-production-models-", (string)states["Register"]!["Parameters"]!["ModelPackageGroupName"]!, StringComparison.Ordinal);
        Assert.Equal(28800, (int)StateMachineDefinition.Of(json)["TimeoutSeconds"]!);
    }

    [Fact]
    public void JobSecurityGroup_SingleInstance_NoInboundAndHttpsOut()
    {
        var json = fixture.Sandbox.Json(Stack);
        var group = json.Resources[json.LogicalId("AWS::EC2::SecurityGroup", "JobSecurityGroup")]!["Properties"]!;

        Assert.Null(group["SecurityGroupIngress"]);
        TemplateJson.AssertEqual("""
            [{ "CidrIp": "0.0.0.0/0", "Description": "HTTPS to S3 through the gateway endpoint (the only route out)", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443 }]
            """, group["SecurityGroupEgress"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void ModelMonitor_AnyProfile_NoBaselineRoleAndNoProcessingJobs(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);

        Assert.DoesNotContain(json.Resources, r => r.Key.StartsWith("BaselineRole", StringComparison.Ordinal));
        Assert.DoesNotContain("ProcessingJob", json.Root.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sandbox", 77_414_400_000L)]
    [InlineData("production", 6_635_520_000_000L)]
    public void Queries_Profile_OwnWorkgroupWhoseLimitHoldsAWholeWindow(string profile, long cutoff)
    {
        // sandbox: 100 records/s x 7 days x 1 KiB x 1.25; production: 2,000 records/s x 30 days x 1 KiB x 1.25.
        var json = fixture.ByName(profile).Json(Stack);
        var workgroup = json.SingleOf("AWS::Athena::WorkGroup", _ => true).Value;

        Assert.Equal(cutoff, (long)workgroup["Properties"]!["WorkGroupConfiguration"]!["BytesScannedCutoffPerQuery"]!);
        Assert.True((bool)workgroup["Properties"]!["WorkGroupConfiguration"]!["EnforceWorkGroupConfiguration"]!);
        var states = StateMachineDefinition.Of(json)["States"]!;
        var reference = $"<Ref:{json.LogicalId("AWS::Athena::WorkGroup", "Queries")}>";
        Assert.Equal(reference, (string?)states["CountRows"]!["Parameters"]!["WorkGroup"]);
        Assert.All(states["BuildTrainingSet"]!["Branches"]!.AsArray(),
            branch => Assert.Equal(reference, (string?)branch!["States"]![(string)branch["StartAt"]!]!["Parameters"]!["WorkGroup"]));
    }
}
