using System.Text.Json.Nodes;
using Pipeline.Infra.Constructs.Training;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

/// <summary>The training workflow's definition, built from fixed parameters (no CDK needed).</summary>
public sealed class TrainingWorkflowTests
{
    private static readonly TrainingWorkflowParameters Parameters = new()
    {
        PrepareRunFunctionArn = "arn:aws:lambda:eu-west-1:111111111111:function:prepare",
        EvaluateFunctionArn = "arn:aws:lambda:eu-west-1:111111111111:function:evaluate",
        Workgroup = "lake-wg",
        ImageUri = "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        TrainingRoleArn = "arn:aws:iam::111111111111:role/training",
        SubnetIds = ["subnet-a", "subnet-b"],
        SecurityGroupId = "sg-jobs",
        ModelsKeyArn = "arn:aws:kms:eu-west-1:111111111111:key/models",
        ModelPackageGroupName = "models",
        AlarmTopicArn = "arn:aws:sns:eu-west-1:111111111111:alarms",
        Run = new TrainingRunOptions
        {
            InstanceType = "ml.m5.xlarge",
            InstanceCount = 1,
            VolumeSizeGb = 30,
            EncryptVolume = true,
            MaxRuntimeSeconds = 3600,
            MaxWaitSeconds = 4500,
            TuneByDefault = true,
            TuningMaxJobs = 4,
            TuningMaxParallelJobs = 2,
            ContinuousRanges = [("eta", 0.05, 0.5, "Logarithmic"), ("subsample", 0.5, 1, "Linear")],
            IntegerRanges = [("max_depth", 3, 9)],
            InferenceInstanceType = "ml.m5.large",
            TimeoutSeconds = 10800,
        },
    };

    private static JsonObject States(TrainingWorkflowParameters? parameters = null) =>
        TrainingWorkflow.Build(parameters ?? Parameters)["States"]!.AsObject();

    [Fact]
    public void Train_SpotJob_IsolatedEncryptedInTheVpcWithCheckpoints()
    {
        TemplateJson.AssertEqual("""
            {
              "TrainingJobName.$": "$.run.output.trainingJobName",
              "HyperParameters.$": "$.decision.output.hyperparameters",
              "AlgorithmSpecification": { "TrainingImage": "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1", "TrainingInputMode": "File" },
              "RoleArn": "arn:aws:iam::111111111111:role/training",
              "InputDataConfig": [
                { "ChannelName": "train", "ContentType": "text/csv", "InputMode": "File",
                  "DataSource": { "S3DataSource": { "S3DataType": "S3Prefix", "S3Uri.$": "$.run.output.s3.train", "S3DataDistributionType": "FullyReplicated" } } },
                { "ChannelName": "validation", "ContentType": "text/csv", "InputMode": "File",
                  "DataSource": { "S3DataSource": { "S3DataType": "S3Prefix", "S3Uri.$": "$.run.output.s3.validation", "S3DataDistributionType": "FullyReplicated" } } }
              ],
              "OutputDataConfig": { "S3OutputPath.$": "$.run.output.s3.model", "KmsKeyId": "arn:aws:kms:eu-west-1:111111111111:key/models" },
              "ResourceConfig": { "InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111111111111:key/models" },
              "EnableManagedSpotTraining": true,
              "CheckpointConfig": { "S3Uri.$": "$.run.output.s3.checkpoint" },
              "StoppingCondition": { "MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 4500 },
              "VpcConfig": { "Subnets": ["subnet-a", "subnet-b"], "SecurityGroupIds": ["sg-jobs"] },
              "EnableNetworkIsolation": true,
              "EnableInterContainerTrafficEncryption": true
            }
            """, States()["Train"]!["Parameters"]);
        Assert.Equal("arn:aws:states:::sagemaker:createTrainingJob.sync", (string?)States()["Train"]!["Resource"]);
    }

    [Fact]
    public void Train_WithoutSpotOrVolumeEncryption_NoWaitNoCheckpointsNoVolumeKey()
    {
        var job = States(Parameters with { Run = Parameters.Run with { MaxWaitSeconds = null, InstanceType = "ml.g4dn.xlarge", EncryptVolume = false } })["Train"]!["Parameters"]!;

        TemplateJson.AssertEqual("""{ "InstanceType": "ml.g4dn.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30 }""", job["ResourceConfig"]);
        TemplateJson.AssertEqual("""{ "MaxRuntimeInSeconds": 3600 }""", job["StoppingCondition"]);
        Assert.Null(job["EnableManagedSpotTraining"]);
        Assert.Null(job["CheckpointConfig"]);
    }

    [Fact]
    public void Tune_Bayesian_MaximizesValidationAucWithTheConfiguredRangesAndBudget()
    {
        var tune = States()["Tune"]!;

        TemplateJson.AssertEqual("""
            {
              "Strategy": "Bayesian",
              "HyperParameterTuningJobObjective": { "Type": "Maximize", "MetricName": "validation:auc" },
              "ResourceLimits": { "MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2 },
              "ParameterRanges": {
                "ContinuousParameterRanges": [
                  { "Name": "eta", "MinValue": "0.05", "MaxValue": "0.5", "ScalingType": "Logarithmic" },
                  { "Name": "subsample", "MinValue": "0.5", "MaxValue": "1", "ScalingType": "Linear" }
                ],
                "IntegerParameterRanges": [{ "Name": "max_depth", "MinValue": "3", "MaxValue": "9", "ScalingType": "Linear" }]
              }
            }
            """, tune["Parameters"]!["HyperParameterTuningJobConfig"]);
        var definition = tune["Parameters"]!["TrainingJobDefinition"]!;
        Assert.Equal("$.decision.output.staticHyperparameters", (string?)definition["StaticHyperParameters.$"]);
        Assert.Null(definition["TrainingJobName.$"]);
        Assert.True((bool)definition["EnableNetworkIsolation"]!);
        Assert.Equal("HasBestJob", (string?)tune["Next"]);
    }

    [Fact]
    public void Tune_SpotConfigured_OnDemandWithoutCheckpointsSoJobsShareNoLocation()
    {
        var definition = States()["Tune"]!["Parameters"]!["TrainingJobDefinition"]!;

        Assert.Null(definition["EnableManagedSpotTraining"]);
        Assert.Null(definition["CheckpointConfig"]);
        TemplateJson.AssertEqual("""{ "MaxRuntimeInSeconds": 3600 }""", definition["StoppingCondition"]);
    }

    [Fact]
    public void Tune_NoBestTrainingJob_ANotifiedFailureNotARuntimeError()
    {
        var states = States();

        Assert.Null(states["Tune"]!["ResultSelector"]);
        Assert.Equal("$.tuning", (string?)states["Tune"]!["ResultPath"]);
        TemplateJson.AssertEqual("""
            { "Type": "Choice",
              "Choices": [{ "Variable": "$.tuning.BestTrainingJob.TrainingJobName", "IsPresent": true, "Next": "DescribeBestJob" }],
              "Default": "NoBestJob" }
            """, states["HasBestJob"]);
        Assert.Equal("NoBestTrainingJob", (string?)states["NoBestJob"]!["Parameters"]!["Error"]);
        Assert.Equal("$.error", (string?)states["NoBestJob"]!["ResultPath"]);
        Assert.Equal("NotifyFailure", (string?)states["NoBestJob"]!["Next"]);
        Assert.Equal("$.tuning.BestTrainingJob.TrainingJobName", (string?)states["DescribeBestJob"]!["Parameters"]!["TrainingJobName.$"]);
    }

    [Fact]
    public void Jobs_Created_NotRetriedSoARetryCannotCollideWithItsOwnName()
    {
        var states = States();

        Assert.All(["Train", "Tune"], name =>
        {
            Assert.EndsWith(".sync", (string?)states[name]!["Resource"], StringComparison.Ordinal);
            Assert.Null(states[name]!["Retry"]);
            Assert.Equal("NotifyFailure", (string?)states[name]!["Catch"]![0]!["Next"]);
        });
    }

    [Fact]
    public void Definition_Paths_NoFilterExpressionsOrNullPassResults()
    {
        var json = TrainingWorkflow.ToJson(Parameters);

        Assert.DoesNotContain("?(", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Result\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_Any_NoFieldOutsideTheOptimizedIntegrationsDocumentedParameters()
    {
        var states = States();

        Assert.Null(states["Train"]!["Parameters"]!["RetryStrategy"]);
        Assert.Null(states["Tune"]!["Parameters"]!["TrainingJobDefinition"]!["RetryStrategy"]);
    }

    [Theory]
    [InlineData(true, "Train", "Tune")]
    [InlineData(false, "Tune", "Train")]
    public void TuneOrTrain_Default_TheRunInputOverridesTheConfiguredDefault(bool tuneByDefault, string whenOverridden, string byDefault)
    {
        var choice = States(Parameters with { Run = Parameters.Run with { TuneByDefault = tuneByDefault } })["TuneOrTrain"]!;

        TemplateJson.AssertEqual($$"""
            [{
              "And": [{ "Variable": "$.request.tuning", "IsBoolean": true }, { "Variable": "$.request.tuning", "BooleanEquals": {{(!tuneByDefault).ToString().ToLowerInvariant()}} }],
              "Next": "{{whenOverridden}}"
            }]
            """, choice["Choices"]);
        Assert.Equal(byDefault, (string?)choice["Default"]);
    }

    [Fact]
    public void Tasks_Every_RetriesTransientErrorsAndReportsFailuresToTheAlarmTopic()
    {
        var states = States();
        var tasks = states.Where(s => (string?)s.Value!["Type"] is "Task" or "Parallel" && s.Key != "NotifyFailure").ToList();

        Assert.Equal(
            ["PlanRun", "CountRows", "ReadCounts", "Decide", "BuildTrainingSet", "Train", "Tune", "DescribeBestJob", "FindChampion", "DescribeChampion", "Evaluate", "Register"],
            tasks.Select(t => t.Key));
        Assert.All(tasks, t =>
        {
            Assert.Equal("NotifyFailure", (string?)t.Value!["Catch"]![0]!["Next"]);
            Assert.Equal("States.ALL", (string?)t.Value!["Catch"]![0]!["ErrorEquals"]![0]);
            if ((string?)t.Value!["Type"] == "Task" && t.Key is not ("Train" or "Tune"))
            {
                Assert.Equal(6, (int)t.Value!["Retry"]![0]!["MaxAttempts"]!);
            }
        });
        TemplateJson.AssertEqual("""
            {
              "TopicArn": "arn:aws:sns:eu-west-1:111111111111:alarms",
              "Subject": "Training run failed",
              "Message.$": "States.Format('Training run {} failed: {}: {}', $$.Execution.Name, $.error.Error, $.error.Cause)"
            }
            """, states["NotifyFailure"]!["Parameters"]);
        Assert.Equal("RunFailed", (string?)states["NotifyFailure"]!["Next"]);
    }

    [Fact]
    public void Input_Optional_MergedOverStaticDefaultsByPath()
    {
        var states = States();

        Assert.Equal("ReadInput", (string?)TrainingWorkflow.Build(Parameters)["StartAt"]);
        TemplateJson.AssertEqual("""
            { "defaults": { "window": null, "hyperparameters": {}, "tuning": null }, "input.$": "$$.Execution.Input" }
            """, states["ReadInput"]!["Parameters"]);
        TemplateJson.AssertEqual("""{ "request.$": "States.JsonMerge($.defaults, $.input, false)" }""", states["MergeInput"]!["Parameters"]);
        Assert.Equal("PlanRun", (string?)states["MergeInput"]!["Next"]);
    }

    [Fact]
    public void Functions_PlanDecideEvaluate_InvokedWithThePayloadsTheirContractsName()
    {
        var states = States();

        TemplateJson.AssertEqual("""
            { "FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:prepare",
              "Payload": { "action": "plan", "executionName.$": "$$.Execution.Name", "window.$": "$.request.window", "hyperparameters.$": "$.request.hyperparameters" } }
            """, states["PlanRun"]!["Parameters"]);
        TemplateJson.AssertEqual("""
            { "FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:prepare",
              "Payload": { "action": "decide", "rows.$": "$.counts.rows", "positives.$": "$.counts.positives",
                           "hyperparameters.$": "$.run.output.hyperparameters", "window.$": "$.run.output.window" } }
            """, states["Decide"]!["Parameters"]);
        TemplateJson.AssertEqual("""
            { "FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:evaluate",
              "Payload": { "trainingJob.$": "$.trainingJob", "champion.$": "$.champion.package", "run.$": "$.run.output" } }
            """, states["Evaluate"]!["Parameters"]);
        foreach (var name in (string[])["PlanRun", "Decide", "Evaluate"])
        {
            TemplateJson.AssertEqual("""{ "output.$": "$.Payload" }""", states[name]!["ResultSelector"]);
        }
    }

    [Fact]
    public void BuildTrainingSet_DriftBaseline_SummaryThenBinsOfTheTrainSplitWrittenByPrepareRun()
    {
        var branch = States()["BuildTrainingSet"]!["Branches"]![2]!;
        var retryAthena = """[{ "ErrorEquals": ["Athena.TooManyRequestsException", "Athena.InternalServerException"], "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2, "JitterStrategy": "FULL" }]""";
        var retryLambda = """[{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2, "JitterStrategy": "FULL" }]""";
        string Query(string query, string next) => $$"""
            { "Type": "Task", "Resource": "arn:aws:states:::athena:startQueryExecution.sync",
              "Parameters": { "QueryString.$": "{{query}}", "WorkGroup": "lake-wg" },
              "ResultSelector": { "queryExecutionId.$": "$.QueryExecution.QueryExecutionId" },
              "ResultPath": "$.baselineQuery", "Next": "{{next}}", "Retry": {{retryAthena}} }
            """;
        string Read(string resultPath, string next) => $$"""
            { "Type": "Task", "Resource": "arn:aws:states:::athena:getQueryResults",
              "Parameters": { "QueryExecutionId.$": "$.baselineQuery.queryExecutionId", "MaxResults": 2 },
              "ResultSelector": { "Rows.$": "$.ResultSet.Rows", "ResultSetMetadata.$": "$.ResultSet.ResultSetMetadata" },
              "ResultPath": "{{resultPath}}", "Next": "{{next}}", "Retry": {{retryAthena}} }
            """;

        TemplateJson.AssertEqual($$"""
            {
              "StartAt": "BaselineSummary",
              "States": {
                "BaselineSummary": {{Query("$.run.output.queries.baselineSummary", "ReadBaselineSummary")}},
                "ReadBaselineSummary": {{Read("$.baselineSummary", "PlanBaselineBins")}},
                "PlanBaselineBins": {
                  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": { "FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:prepare",
                                  "Payload": { "action": "baselineBins", "window.$": "$.run.output.window", "summary.$": "$.baselineSummary" } },
                  "ResultSelector": { "output.$": "$.Payload" }, "ResultPath": "$.baselineBinsPlan", "Next": "BaselineBins", "Retry": {{retryLambda}}
                },
                "BaselineBins": {{Query("$.baselineBinsPlan.output.sql", "ReadBaselineBins")}},
                "ReadBaselineBins": {{Read("$.baselineBins", "WriteBaseline")}},
                "WriteBaseline": {
                  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": { "FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:prepare",
                                  "Payload": { "action": "baseline", "executionName.$": "$.run.output.executionName", "window.$": "$.run.output.window",
                                               "summary.$": "$.baselineSummary", "bins.$": "$.baselineBins" } },
                  "ResultSelector": { "output.$": "$.Payload" }, "ResultPath": "$.baseline", "End": true, "Retry": {{retryLambda}}
                }
              }
            }
            """, branch);
    }

    [Fact]
    public void BuildTrainingSet_Branches_DiscardedSoTheResultSetsDoNotTravelOn()
    {
        var parallel = States()["BuildTrainingSet"]!;

        Assert.Equal(["UnloadTrain", "UnloadValidation", "BaselineSummary"], parallel["Branches"]!.AsArray().Select(b => (string?)b!["StartAt"]));
        Assert.Null(parallel["ResultPath"]);
        Assert.True(parallel.AsObject().ContainsKey("ResultPath"));
    }

    [Fact]
    public void FindChampion_LatestApprovedVersionOfTheGroup_ThenDescribedIfAny()
    {
        var states = States();

        TemplateJson.AssertEqual("""
            { "ModelPackageGroupName": "models", "ModelPackageType": "Versioned", "ModelApprovalStatus": "Approved",
              "SortBy": "CreationTime", "SortOrder": "Descending", "MaxResults": 1 }
            """, states["FindChampion"]!["Parameters"]);
        Assert.Equal("arn:aws:states:::aws-sdk:sagemaker:listModelPackages", (string?)states["FindChampion"]!["Resource"]);
        TemplateJson.AssertEqual("""
            [{ "Variable": "$.champions.ModelPackageSummaryList[0]", "IsPresent": true, "Next": "DescribeChampion" }]
            """, states["HasChampion"]!["Choices"]);
        Assert.Equal("NoChampion", (string?)states["HasChampion"]!["Default"]);
        TemplateJson.AssertEqual("""{ "package.$": "$" }""", states["DescribeChampion"]!["ResultSelector"]);
        TemplateJson.AssertEqual("""{ "Type": "Pass", "Result": { "package": null }, "ResultPath": "$.champion", "Next": "Evaluate" }""", states["NoChampion"]);
    }

    [Fact]
    public void Register_PassedModel_VersionInTheGroupWithMetricsAndLineage()
    {
        TemplateJson.AssertEqual("""
            {
              "ModelPackageGroupName": "models",
              "ModelPackageDescription.$": "States.Format('Run {}: {}', $.run.output.runId, $.evaluation.output.summary)",
              "ModelApprovalStatus.$": "$.evaluation.output.approvalStatus",
              "InferenceSpecification": {
                "Containers": [{ "Image": "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1", "ModelDataUrl.$": "$.evaluation.output.modelDataUrl" }],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
                "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"]
              },
              "ModelMetrics": { "ModelQuality": { "Statistics": { "ContentType": "application/json", "S3Uri.$": "$.evaluation.output.modelQualityStatistics" } } },
              "CustomerMetadataProperties.$": "$.evaluation.output.customerMetadata"
            }
            """, States()["Register"]!["Parameters"]);
    }

    [Fact]
    public void Outcomes_NotEnoughDataAndRejectedModel_FailWithTheDecisionsReason()
    {
        var states = States();

        TemplateJson.AssertEqual("""{ "Type": "Fail", "Error": "NotEnoughData", "CausePath": "$.decision.output.reason" }""", states["NotEnoughData"]);
        TemplateJson.AssertEqual("""{ "Type": "Fail", "Error": "ModelRejected", "CausePath": "$.evaluation.output.summary" }""", states["ModelRejected"]);
        Assert.Equal(10800, (int)TrainingWorkflow.Build(Parameters)["TimeoutSeconds"]!);
    }

    [Fact]
    public void Register_PassedModel_CarriesItsModelQualityAndNoModelMonitorBaseline()
    {
        var states = States();

        Assert.DoesNotContain("Processing", states["BuildTrainingSet"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Register", (string?)states["Passed"]!["Choices"]![0]!["Next"]);
        TemplateJson.AssertEqual("""
            { "ModelQuality": { "Statistics": { "ContentType": "application/json", "S3Uri.$": "$.evaluation.output.modelQualityStatistics" } } }
            """, states["Register"]!["Parameters"]!["ModelMetrics"]);
        Assert.DoesNotContain("createProcessingJob", TrainingWorkflow.ToJson(Parameters), StringComparison.Ordinal);
    }
}
