using System.Globalization;
using System.Text.Json.Nodes;
using static Pipeline.Infra.Constructs.Workflows.Asl;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>What the training workflow's definition is built from: names and ARNs (deploy-time tokens), and the run options.</summary>
public sealed record TrainingWorkflowParameters
{
    /// <summary>ARN of the prepare-run Lambda (plan and decide).</summary>
    public required string PrepareRunFunctionArn { get; init; }

    /// <summary>ARN of the evaluate Lambda (the gate).</summary>
    public required string EvaluateFunctionArn { get; init; }

    /// <summary>The Athena workgroup the queries run in (its enforced configuration decides the results location).</summary>
    public required string Workgroup { get; init; }

    /// <summary>The algorithm image (training and inference).</summary>
    public required string ImageUri { get; init; }

    /// <summary>ARN of the role SageMaker jobs run with.</summary>
    public required string TrainingRoleArn { get; init; }

    /// <summary>Subnets the jobs attach to.</summary>
    public required IReadOnlyList<string> SubnetIds { get; init; }

    /// <summary>The jobs' security group.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>ARN of the key for training volumes and model output.</summary>
    public required string ModelsKeyArn { get; init; }

    /// <summary>The model package group models are registered in.</summary>
    public required string ModelPackageGroupName { get; init; }

    /// <summary>ARN of the alarm topic failures are published to.</summary>
    public required string AlarmTopicArn { get; init; }

    /// <summary>What the runs do apart from the resources they use: jobs, tuning, registration and the execution's bound.</summary>
    public required TrainingRunOptions Run { get; init; }
}

/// <summary>
/// The Amazon States Language definition of the training workflow. Built as JSON here rather than with the CDK's task
/// classes because CDK 2.160's SageMaker tasks lack fields the pipeline sets (network isolation, inter-container
/// encryption, spot with checkpoints, tuning): every parameter is written out and tested exactly.
/// </summary>
/// <remarks>
/// Plan the run → count rows and positives in the window (Athena) → decide → UNLOAD the train and validation channels
/// and write the drift baseline (Athena and prepare-run, in parallel) → train one XGBoost job, or tune (per run input, default from configuration) and take the
/// best job → look up the champion (latest approved package) → evaluate (gate) → register the model package.
/// Every task retries transient errors; a failure is published to the alarm topic and fails the execution.
/// </remarks>
public static class TrainingWorkflow
{
    /// <summary>The definition as JSON text (with deploy-time tokens inside strings).</summary>
    public static string ToJson(TrainingWorkflowParameters parameters) => Build(parameters).ToJsonString(Json);

    /// <summary>The definition as a JSON document.</summary>
    public static JsonObject Build(TrainingWorkflowParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var states = new JsonObject(InputWithDefaults(
            "Optional input: window {from,to}, hyperparameters {name: value}, tuning true|false.",
            new JsonObject { ["window"] = null, ["hyperparameters"] = new JsonObject(), ["tuning"] = null },
            "PlanRun"))
        {
            ["PlanRun"] = LambdaTask(p.PrepareRunFunctionArn, new JsonObject
            {
                ["action"] = "plan",
                ["executionName.$"] = "$$.Execution.Name",
                ["window.$"] = "$.request.window",
                ["hyperparameters.$"] = "$.request.hyperparameters",
            }, "$.run", "CountRows"),
            ["CountRows"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::athena:startQueryExecution.sync",
                ["Parameters"] = new JsonObject { ["QueryString.$"] = "$.run.output.queries.count", ["WorkGroup"] = p.Workgroup },
                ["ResultSelector"] = new JsonObject { ["queryExecutionId.$"] = "$.QueryExecution.QueryExecutionId" },
                ["ResultPath"] = "$.countQuery",
                ["Next"] = "ReadCounts",
            }, AthenaTransientErrors)),
            ["ReadCounts"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::athena:getQueryResults",
                ["Parameters"] = new JsonObject { ["QueryExecutionId.$"] = "$.countQuery.queryExecutionId", ["MaxResults"] = 2 },
                ["ResultSelector"] = new JsonObject
                {
                    ["rows.$"] = "$.ResultSet.Rows[1].Data[0].VarCharValue",
                    ["positives.$"] = "$.ResultSet.Rows[1].Data[1].VarCharValue",
                },
                ["ResultPath"] = "$.counts",
                ["Next"] = "Decide",
            }, AthenaTransientErrors)),
            ["Decide"] = LambdaTask(p.PrepareRunFunctionArn, new JsonObject
            {
                ["action"] = "decide",
                ["rows.$"] = "$.counts.rows",
                ["positives.$"] = "$.counts.positives",
                ["hyperparameters.$"] = "$.run.output.hyperparameters",
                ["window.$"] = "$.run.output.window",
            }, "$.decision", "EnoughData"),
            ["EnoughData"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.decision.output.proceed", ["BooleanEquals"] = true, ["Next"] = "BuildTrainingSet" }),
                ["Default"] = "NotEnoughData",
            },
            ["NotEnoughData"] = new JsonObject { ["Type"] = "Fail", ["Error"] = "NotEnoughData", ["CausePath"] = "$.decision.output.reason" },
            ["BuildTrainingSet"] = Catching(new JsonObject
            {
                ["Type"] = "Parallel",
                ["Comment"] = "UNLOAD the train and validation channels (CSV, label first) into empty run prefixes; describe the train split for drift monitoring.",
                ["Branches"] = new JsonArray(
                    Unload("UnloadTrain", "$.run.output.queries.train", p.Workgroup),
                    Unload("UnloadValidation", "$.run.output.queries.validation", p.Workgroup),
                    DriftBaseline(p)),
                ["ResultPath"] = JsonValue.Create<string?>(null),
                ["Next"] = "TuneOrTrain",
            }),
            ["TuneOrTrain"] = TuneOrTrain(p.Run.TuneByDefault),
            ["Train"] = JobTask("createTrainingJob", TrainingJob(p, single: true), "$.trainingJob", "FindChampion"),
            // Whole: BestTrainingJob is optional in DescribeHyperParameterTuningJob, and a selector on a missing field
            // would fail the run with States.Runtime, which no catcher handles.
            ["Tune"] = JobTask("createHyperParameterTuningJob", TuningJob(p), "$.tuning", "HasBestJob"),
            ["HasBestJob"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.tuning.BestTrainingJob.TrainingJobName", ["IsPresent"] = true, ["Next"] = "DescribeBestJob" }),
                ["Default"] = "NoBestJob",
            },
            ["NoBestJob"] = Refusal("NoBestTrainingJob",
                "States.Format('Tuning job {} ended {} without a best training job: none of its training jobs reported the objective metric validation:auc.', $.tuning.HyperParameterTuningJobName, $.tuning.HyperParameterTuningJobStatus)"),
            ["DescribeBestJob"] = SdkTask("describeTrainingJob", new JsonObject { ["TrainingJobName.$"] = "$.tuning.BestTrainingJob.TrainingJobName" }, "$.trainingJob", "FindChampion"),
            ["FindChampion"] = SdkTask("listModelPackages", new JsonObject
            {
                ["ModelPackageGroupName"] = p.ModelPackageGroupName,
                // ListModelPackages returns only unversioned packages unless told otherwise; a group's are versioned.
                ["ModelPackageType"] = "Versioned",
                ["ModelApprovalStatus"] = "Approved",
                ["SortBy"] = "CreationTime",
                ["SortOrder"] = "Descending",
                ["MaxResults"] = 1,
            }, "$.champions", "HasChampion"),
            ["HasChampion"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.champions.ModelPackageSummaryList[0]", ["IsPresent"] = true, ["Next"] = "DescribeChampion" }),
                ["Default"] = "NoChampion",
            },
            // Both branches leave $.champion.package (the package, or null): a Pass state's top-level "Result": null is
            // easy to misread (and ASL interpreters differ on it), a null inside an object is not.
            ["DescribeChampion"] = SdkTask("describeModelPackage", new JsonObject
            {
                ["ModelPackageName.$"] = "$.champions.ModelPackageSummaryList[0].ModelPackageArn",
            }, "$.champion", "Evaluate", new JsonObject { ["package.$"] = "$" }),
            ["NoChampion"] = new JsonObject { ["Type"] = "Pass", ["Result"] = new JsonObject { ["package"] = null }, ["ResultPath"] = "$.champion", ["Next"] = "Evaluate" },
            ["Evaluate"] = LambdaTask(p.EvaluateFunctionArn, new JsonObject
            {
                ["trainingJob.$"] = "$.trainingJob",
                ["champion.$"] = "$.champion.package",
                ["run.$"] = "$.run.output",
            }, "$.evaluation", "Passed"),
            ["Passed"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.evaluation.output.passed", ["BooleanEquals"] = true, ["Next"] = "Register" }),
                ["Default"] = "ModelRejected",
            },
            ["ModelRejected"] = new JsonObject { ["Type"] = "Fail", ["Error"] = "ModelRejected", ["CausePath"] = "$.evaluation.output.summary" },
            ["Register"] = SdkTask("createModelPackage", new JsonObject
            {
                ["ModelPackageGroupName"] = p.ModelPackageGroupName,
                ["ModelPackageDescription.$"] = "States.Format('Run {}: {}', $.run.output.runId, $.evaluation.output.summary)",
                ["ModelApprovalStatus.$"] = "$.evaluation.output.approvalStatus",
                ["InferenceSpecification"] = new JsonObject
                {
                    ["Containers"] = new JsonArray(new JsonObject { ["Image"] = p.ImageUri, ["ModelDataUrl.$"] = "$.evaluation.output.modelDataUrl" }),
                    ["SupportedContentTypes"] = new JsonArray("text/csv"),
                    ["SupportedResponseMIMETypes"] = new JsonArray("text/csv"),
                    ["SupportedRealtimeInferenceInstanceTypes"] = new JsonArray(p.Run.InferenceInstanceType),
                },
                ["ModelMetrics"] = new JsonObject
                {
                    ["ModelQuality"] = new JsonObject
                    {
                        ["Statistics"] = new JsonObject { ["ContentType"] = "application/json", ["S3Uri.$"] = "$.evaluation.output.modelQualityStatistics" },
                    },
                },
                ["CustomerMetadataProperties.$"] = "$.evaluation.output.customerMetadata",
            }, "$.registered", "Registered"),
            ["Registered"] = new JsonObject { ["Type"] = "Succeed" },
            [NotifyFailure] = Publish(p.AlarmTopicArn, "Training run failed",
                "States.Format('Training run {} failed: {}: {}', $$.Execution.Name, $.error.Error, $.error.Cause)",
                "RunFailed"),
            ["RunFailed"] = new JsonObject { ["Type"] = "Fail", ["Error"] = "TrainingRunFailed", ["CausePath"] = "$.error.Cause" },
        };

        return new JsonObject
        {
            ["Comment"] = "Train an XGBoost model on the lake's telemetry, gate it and register it.",
            ["StartAt"] = "ReadInput",
            ["TimeoutSeconds"] = p.Run.TimeoutSeconds,
            ["States"] = states,
        };
    }

    /// <summary>
    /// A SageMaker job started and awaited (<c>.sync</c>), caught but not retried: the optimized integration reports the
    /// create call's errors and the job's under the same names (throttling and a refused duplicate name alike are
    /// <c>SageMaker.AmazonSageMakerException</c>), so no error shows the job was not created, and a retry under the same
    /// name would be refused as a duplicate and hide the first error. A failed run is notified and can be started again.
    /// </summary>
    private static JsonObject JobTask(string action, JsonObject parameters, string? resultPath, string next) => Catching(new JsonObject
    {
        ["Type"] = "Task",
        ["Resource"] = $"arn:aws:states:::sagemaker:{action}.sync",
        ["Parameters"] = parameters,
        ["ResultPath"] = resultPath is null ? JsonValue.Create<string?>(null) : resultPath,
        ["Next"] = next,
    });

    private static JsonObject TuneOrTrain(bool tuneByDefault)
    {
        // The run input may say; otherwise the configured default decides.
        var explicitOther = new JsonObject
        {
            ["And"] = new JsonArray(
                new JsonObject { ["Variable"] = "$.request.tuning", ["IsBoolean"] = true },
                new JsonObject { ["Variable"] = "$.request.tuning", ["BooleanEquals"] = !tuneByDefault }),
            ["Next"] = tuneByDefault ? "Train" : "Tune",
        };
        return new JsonObject { ["Type"] = "Choice", ["Choices"] = new JsonArray(explicitOther), ["Default"] = tuneByDefault ? "Tune" : "Train" };
    }

    // State names are unique across the whole machine, branches included.
    private static JsonObject Unload(string name, string queryPath, string workgroup) => new()
    {
        ["StartAt"] = name,
        ["States"] = new JsonObject
        {
            [name] = Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::athena:startQueryExecution.sync",
                ["Parameters"] = new JsonObject { ["QueryString.$"] = queryPath, ["WorkGroup"] = workgroup },
                ["End"] = true,
            }, AthenaTransientErrors),
        },
    };

    /// <summary>
    /// The branch that writes the model's drift baseline (<c>models/&lt;run&gt;/drift-baseline.json</c>, whose location
    /// the plan gives and evaluate registers): the train split's statistics and decile edges, then its counts in those
    /// bins, each a single-row Athena query whose whole result set prepare-run reads.
    /// </summary>
    private static JsonObject DriftBaseline(TrainingWorkflowParameters p) => new()
    {
        ["StartAt"] = "BaselineSummary",
        ["States"] = new JsonObject
        {
            ["BaselineSummary"] = Query("$.run.output.queries.baselineSummary", p.Workgroup, "$.baselineQuery", "ReadBaselineSummary"),
            ["ReadBaselineSummary"] = ReadResultSet("$.baselineQuery", "$.baselineSummary", "PlanBaselineBins"),
            ["PlanBaselineBins"] = Retrying(LambdaInvoke(p.PrepareRunFunctionArn, new JsonObject
            {
                ["action"] = "baselineBins",
                ["window.$"] = "$.run.output.window",
                ["summary.$"] = "$.baselineSummary",
            }, "$.baselineBinsPlan", "BaselineBins"), LambdaTransientErrors),
            ["BaselineBins"] = Query("$.baselineBinsPlan.output.sql", p.Workgroup, "$.baselineQuery", "ReadBaselineBins"),
            ["ReadBaselineBins"] = ReadResultSet("$.baselineQuery", "$.baselineBins", "WriteBaseline"),
            ["WriteBaseline"] = Retrying(LambdaInvoke(p.PrepareRunFunctionArn, new JsonObject
            {
                ["action"] = "baseline",
                // The plan's copy: inside a Parallel branch the context object is the execution's in AWS only.
                ["executionName.$"] = "$.run.output.executionName",
                ["window.$"] = "$.run.output.window",
                ["summary.$"] = "$.baselineSummary",
                ["bins.$"] = "$.baselineBins",
            }, "$.baseline", next: null), LambdaTransientErrors),
        },
    };

    private static JsonObject Query(string queryPath, string workgroup, string resultPath, string next) => Retrying(new JsonObject
    {
        ["Type"] = "Task",
        ["Resource"] = "arn:aws:states:::athena:startQueryExecution.sync",
        ["Parameters"] = new JsonObject { ["QueryString.$"] = queryPath, ["WorkGroup"] = workgroup },
        ["ResultSelector"] = new JsonObject { ["queryExecutionId.$"] = "$.QueryExecution.QueryExecutionId" },
        ["ResultPath"] = resultPath,
        ["Next"] = next,
    }, AthenaTransientErrors);

    /// <summary>The whole result set of a single-row query: a header row and the row, with the columns' types.</summary>
    private static JsonObject ReadResultSet(string queryPath, string resultPath, string next) => Retrying(new JsonObject
    {
        ["Type"] = "Task",
        ["Resource"] = "arn:aws:states:::athena:getQueryResults",
        ["Parameters"] = new JsonObject { ["QueryExecutionId.$"] = queryPath + ".queryExecutionId", ["MaxResults"] = 2 },
        ["ResultSelector"] = new JsonObject { ["Rows.$"] = "$.ResultSet.Rows", ["ResultSetMetadata.$"] = "$.ResultSet.ResultSetMetadata" },
        ["ResultPath"] = resultPath,
        ["Next"] = next,
    }, AthenaTransientErrors);

    private static JsonObject TrainingJob(TrainingWorkflowParameters p, bool single)
    {
        var job = new JsonObject();
        if (single)
        {
            job["TrainingJobName.$"] = "$.run.output.trainingJobName";
            job["HyperParameters.$"] = "$.decision.output.hyperparameters";
        }
        else
        {
            job["StaticHyperParameters.$"] = "$.decision.output.staticHyperparameters";
        }

        job["AlgorithmSpecification"] = new JsonObject { ["TrainingImage"] = p.ImageUri, ["TrainingInputMode"] = "File" };
        job["RoleArn"] = p.TrainingRoleArn;
        job["InputDataConfig"] = new JsonArray(Channel("train", "$.run.output.s3.train"), Channel("validation", "$.run.output.s3.validation"));
        job["OutputDataConfig"] = new JsonObject { ["S3OutputPath.$"] = "$.run.output.s3.model", ["KmsKeyId"] = p.ModelsKeyArn };
        var resources = new JsonObject
        {
            ["InstanceType"] = p.Run.InstanceType,
            ["InstanceCount"] = p.Run.InstanceCount,
            ["VolumeSizeInGB"] = p.Run.VolumeSizeGb,
        };
        if (p.Run.EncryptVolume)
        {
            resources["VolumeKmsKeyId"] = p.ModelsKeyArn;
        }

        job["ResourceConfig"] = resources;
        var stopping = new JsonObject { ["MaxRuntimeInSeconds"] = p.Run.MaxRuntimeSeconds };
        // Spot only for the single job, which resumes from its own checkpoints after an interruption (XGBoost writes
        // them). A tuning job's definition is shared by all its training jobs, so they would share one checkpoint
        // location and resume or overwrite each other's: tuning trains on demand, without checkpoints.
        if (single && p.Run.MaxWaitSeconds is { } wait)
        {
            stopping["MaxWaitTimeInSeconds"] = wait;
            job["EnableManagedSpotTraining"] = true;
            job["CheckpointConfig"] = new JsonObject { ["S3Uri.$"] = "$.run.output.s3.checkpoint" };
        }

        job["StoppingCondition"] = stopping;
        job["VpcConfig"] = new JsonObject
        {
            ["Subnets"] = new JsonArray([.. p.SubnetIds.Select(s => (JsonNode)s)]),
            ["SecurityGroupIds"] = new JsonArray(p.SecurityGroupId),
        };
        job["EnableNetworkIsolation"] = true;
        job["EnableInterContainerTrafficEncryption"] = true;
        return job;
    }

    private static JsonObject TuningJob(TrainingWorkflowParameters p) => new()
    {
        ["HyperParameterTuningJobName.$"] = "$.run.output.tuningJobName",
        ["HyperParameterTuningJobConfig"] = new JsonObject
        {
            ["Strategy"] = "Bayesian",
            ["HyperParameterTuningJobObjective"] = new JsonObject { ["Type"] = "Maximize", ["MetricName"] = "validation:auc" },
            ["ResourceLimits"] = new JsonObject
            {
                ["MaxNumberOfTrainingJobs"] = p.Run.TuningMaxJobs,
                ["MaxParallelTrainingJobs"] = p.Run.TuningMaxParallelJobs,
            },
            ["ParameterRanges"] = new JsonObject
            {
                ["ContinuousParameterRanges"] = new JsonArray([.. p.Run.ContinuousRanges.Select(r => (JsonNode)new JsonObject
                {
                    ["Name"] = r.Name,
                    ["MinValue"] = Number(r.Min),
                    ["MaxValue"] = Number(r.Max),
                    ["ScalingType"] = r.Scaling,
                })]),
                ["IntegerParameterRanges"] = new JsonArray([.. p.Run.IntegerRanges.Select(r => (JsonNode)new JsonObject
                {
                    ["Name"] = r.Name,
                    ["MinValue"] = r.Min.ToString(CultureInfo.InvariantCulture),
                    ["MaxValue"] = r.Max.ToString(CultureInfo.InvariantCulture),
                    ["ScalingType"] = "Linear",
                })]),
            },
        },
        ["TrainingJobDefinition"] = TrainingJob(p, single: false),
    };

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static JsonObject Channel(string name, string uriPath) => new()
    {
        ["ChannelName"] = name,
        ["ContentType"] = "text/csv",
        ["InputMode"] = "File",
        ["DataSource"] = new JsonObject
        {
            ["S3DataSource"] = new JsonObject
            {
                ["S3DataType"] = "S3Prefix",
                ["S3Uri.$"] = uriPath,
                ["S3DataDistributionType"] = "FullyReplicated",
            },
        },
    };

    private static JsonObject SdkTask(string action, JsonObject parameters, string resultPath, string next, JsonObject? resultSelector = null)
    {
        var task = new JsonObject
        {
            ["Type"] = "Task",
            ["Resource"] = $"arn:aws:states:::aws-sdk:sagemaker:{action}",
            ["Parameters"] = parameters,
        };
        if (resultSelector is not null)
        {
            task["ResultSelector"] = resultSelector;
        }

        task["ResultPath"] = resultPath;
        task["Next"] = next;
        return Catching(Retrying(task, SageMakerReadErrors));
    }
}
