using System.Globalization;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Sizing;
using Pipeline.Infra.Stacks;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class TrainingStackTests(AppFixture fixture)
{
    private const string Stack = "Training";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Functions_Profile_ReserveTheConfiguredConcurrency(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var configured = fixture.ByName(profile).Settings.Functions.ReservedConcurrency;
        int? reserved = configured > 0 ? configured : null;

        Assert.All(["PrepareRun", "Evaluate"], id =>
            Assert.Equal(reserved, (int?)json.Resources[json.LogicalId("AWS::Lambda::Function", id)]!["Properties"]!["ReservedConcurrentExecutions"]));
    }

    [Fact]
    public void Schedule_SandboxDisabled_NoneSoRunsStartByHand()
    {
        Assert.Empty(fixture.Sandbox.Json(Stack).OfType("AWS::Events::Rule"));
    }

    [Fact]
    public void Schedule_Production_StartsTheEncryptedStateMachineWeeklyWithItsOwnRole()
    {
        var json = fixture.Production.Json(Stack);
        var rule = Assert.Single(json.OfType("AWS::Events::Rule")).Value["Properties"]!;

        Assert.Equal(fixture.Production.Settings.Training.Schedule, (string?)rule["ScheduleExpression"]);
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
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Functions_Profile_ConfiguredFromTheTrainingSettings(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var training = fixture.ByName(profile).Settings.Training;
        string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        var lake = Exports.Import(profile, "data-lake", "ExportsOutputRefLake42DFAD751F6F374A");
        var codeVersion = DotnetFunctionCode.SourceVersion(RepositoryPaths.Root, TrainingStack.PrepareRunProject);

        TemplateJson.AssertEqual($$"""
            {
              "Variables": {
                "LAKE_BUCKET": {{lake}}, "GLUE_DATABASE": "mlpipe_{{profile}}_lake", "GLUE_TABLE": "telemetry", "LOOKBACK_DAYS": "{{training.LookbackDays}}",
                "MINIMUM_ROWS": "{{training.MinimumRows}}", "MINIMUM_POSITIVES": "{{training.MinimumPositives}}",
                "VALIDATION_FRACTION": "{{Text(training.ValidationFraction)}}", "SCALE_POS_WEIGHT": "auto",
                "TUNED_HYPERPARAMETERS": "eta,max_depth,min_child_weight,subsample", "JOB_NAME_PREFIX": "xgb", "CODE_VERSION": "{{codeVersion}}"
              }
            }
            """, json.Resources[json.LogicalId("AWS::Lambda::Function", "PrepareRun")]!["Properties"]!["Environment"]);
        TemplateJson.AssertEqual($$"""
            { "Variables": { "LAKE_BUCKET": {{lake}}, "MINIMUM_AUC": "{{Text(training.MinimumAuc)}}", "REGRESSION_TOLERANCE": "{{Text(training.RegressionTolerance)}}",
                              "AUTO_APPROVE": "{{(training.AutoApprove ? "true" : "false")}}" } }
            """, json.Resources[json.LogicalId("AWS::Lambda::Function", "Evaluate")]!["Properties"]!["Environment"]);
    }

    [Fact]
    public void Definition_Synthesized_WiresTheStacksResourcesIntoTheStates()
    {
        var json = fixture.Production.Json(Stack);
        var training = fixture.Production.Settings.Training;
        var states = StateMachineDefinition.Of(json)["States"]!;
        string GetAtt(string type, string prefix, string attribute) => $"<GetAtt:{json.LogicalId(type, prefix)}.{attribute}>";

        Assert.Equal(GetAtt("AWS::Lambda::Function", "PrepareRun", "Arn"), (string?)states["PlanRun"]!["Parameters"]!["FunctionName"]);
        Assert.Equal(GetAtt("AWS::Lambda::Function", "Evaluate", "Arn"), (string?)states["Evaluate"]!["Parameters"]!["FunctionName"]);
        Assert.Equal($"<Ref:{json.LogicalId("AWS::Athena::WorkGroup", "Queries")}>", (string?)states["CountRows"]!["Parameters"]!["WorkGroup"]);
        var train = states["Train"]!["Parameters"]!;
        Assert.Equal(GetAtt("AWS::IAM::Role", "TrainingRole", "Arn"), (string?)train["RoleArn"]);
        Assert.Equal(GetAtt("AWS::EC2::SecurityGroup", "JobSecurityGroup", "GroupId"), (string?)train["VpcConfig"]!["SecurityGroupIds"]![0]);
        Assert.Equal(fixture.Production.Settings.Network.AzCount, train["VpcConfig"]!["Subnets"]!.AsArray().Count);
        Assert.Equal("<Import:mlpipe-production-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3>", (string?)train["OutputDataConfig"]!["KmsKeyId"]);
        Assert.Matches(@"^<FindInMap:Xgboost[A-Za-z0-9]+>\.dkr\.ecr\.<Ref:AWS::Region>\.<Ref:AWS::URLSuffix>/sagemaker-xgboost:1\.7-1$",
            (string)train["AlgorithmSpecification"]!["TrainingImage"]!);
        TemplateJson.AssertEqual($$"""{ "MaxRuntimeInSeconds": {{training.MaxRuntimeMinutes * 60}}, "MaxWaitTimeInSeconds": {{training.MaxWaitMinutes * 60}} }""",
            train["StoppingCondition"]);
        TemplateJson.AssertEqual($$"""{ "MaxNumberOfTrainingJobs": {{training.Tuning.MaxJobs}}, "MaxParallelTrainingJobs": {{training.Tuning.MaxParallelJobs}} }""",
            states["Tune"]!["Parameters"]!["HyperParameterTuningJobConfig"]!["ResourceLimits"]);
        Assert.Equal("<Import:mlpipe-production-security-baseline:ExportsOutputRefAlarmTopicB56431CAD8F6611B>", (string?)states["NotifyFailure"]!["Parameters"]!["TopicArn"]);
        Assert.StartsWith("mlpipe-production-models-", (string)states["Register"]!["Parameters"]!["ModelPackageGroupName"]!, StringComparison.Ordinal);
        Assert.Equal(training.ExecutionTimeoutMinutes * 60, (int)StateMachineDefinition.Of(json)["TimeoutSeconds"]!);
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
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Queries_Profile_OwnWorkgroupWhoseLimitHoldsAWholeWindow(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var settings = fixture.ByName(profile).Settings;
        var cutoff = TrainingScan.BytesPerQuery(settings.Stream.RecordsPerSecond, settings.Stream.AverageRecordSizeKiB, settings.Training.LookbackDays, settings.Stream.HeadroomFactor);
        var workgroup = json.SingleOf("AWS::Athena::WorkGroup", _ => true).Value;

        Assert.Equal(cutoff, (long)workgroup["Properties"]!["WorkGroupConfiguration"]!["BytesScannedCutoffPerQuery"]!);
        Assert.True((bool)workgroup["Properties"]!["WorkGroupConfiguration"]!["EnforceWorkGroupConfiguration"]!);
        var states = StateMachineDefinition.Of(json)["States"]!;
        var reference = $"<Ref:{json.LogicalId("AWS::Athena::WorkGroup", "Queries")}>";
        Assert.Equal(reference, (string?)states["CountRows"]!["Parameters"]!["WorkGroup"]);
        Assert.All(states["BuildTrainingSet"]!["Branches"]!.AsArray(),
            branch => Assert.Equal(reference, (string?)branch!["States"]![(string)branch["StartAt"]!]!["Parameters"]!["WorkGroup"]));
    }

    [Theory]
    [InlineData("ml.m5.xlarge", true)]
    [InlineData("ml.g4dn.xlarge", false)]
    public void RunOptions_InstanceType_VolumeEncryptedUnlessTheInstanceHasLocalNvmeStorage(string instanceType, bool encrypted)
    {
        var settings = SettingsPresets.Sandbox with { Training = SettingsPresets.Sandbox.Training with { InstanceType = instanceType } };

        Assert.Equal(encrypted, TrainingStack.RunOptions(settings).EncryptVolume);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RunOptions_Spot_WaitBoundOnlyWithSpot(bool spot)
    {
        var training = SettingsPresets.Sandbox.Training with { UseSpot = spot };

        Assert.Equal(spot ? training.MaxWaitMinutes * 60 : null, TrainingStack.RunOptions(SettingsPresets.Sandbox with { Training = training }).MaxWaitSeconds);
    }

    [Fact]
    public void RunOptions_Tuning_SearchesTheConfiguredRangesAndTellsPrepareRunTheirNames()
    {
        var tuning = SettingsPresets.Production.Training.Tuning;
        var run = TrainingStack.RunOptions(SettingsPresets.Production);

        Assert.Equal(["eta", "min_child_weight", "subsample"], run.ContinuousRanges.Select(r => r.Name));
        Assert.Equal((tuning.Eta.Min, tuning.Eta.Max), (run.ContinuousRanges[0].Min, run.ContinuousRanges[0].Max));
        Assert.Equal([("max_depth", (int)tuning.MaxDepth.Min, (int)tuning.MaxDepth.Max)], run.IntegerRanges);
        Assert.Equal(["eta", "max_depth", "min_child_weight", "subsample"], run.TunedHyperparameters);
    }
}
