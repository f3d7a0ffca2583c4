using System.Text.Json.Nodes;
using static Pipeline.Infra.Constructs.Workflows.Asl;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>What the drift workflow's definition is built from: names and ARNs (deploy-time tokens).</summary>
public sealed record DriftWorkflowParameters
{
    /// <summary>The model package version the endpoint serves: the serving stack's parameter, empty while nothing is served.</summary>
    public required string ServedModelPackageArn { get; init; }

    /// <summary>ARN of the drift Lambda (plan and assess).</summary>
    public required string DriftFunctionArn { get; init; }

    /// <summary>The Athena workgroup the window query runs in.</summary>
    public required string Workgroup { get; init; }

    /// <summary>ARN of the alarm topic failures are published to.</summary>
    public required string AlarmTopicArn { get; init; }

    /// <summary>The bound on one execution, in seconds.</summary>
    public required int TimeoutSeconds { get; init; }
}

/// <summary>
/// The Amazon States Language definition of the drift workflow: judge the last window of the endpoint's captured
/// requests against the served model's training-time baseline.
/// </summary>
/// <remarks>
/// Optional input <c>{"windowEnd": "yyyy-MM-ddTHH:00:00Z"}</c> (default: the last whole hour before the start).
/// Nothing served → done. Read the served package's <c>drift_baseline</c> metadata (none: refused, as the model cannot
/// be monitored) → plan the window (drift Lambda: the Athena statement, with the baseline's bins) → count the window
/// (Athena) → assess it (drift Lambda: PSI per feature and for the scores, schema violations; writes
/// <c>drift/&lt;endpoint&gt;/&lt;window end&gt;/report.json</c> and the CloudWatch metrics the drift alarms watch).
/// Every failure is published to the alarm topic and fails the execution.
/// </remarks>
public static class DriftWorkflow
{
    /// <summary>The customer metadata key the training run registers the baseline's location under.</summary>
    public const string BaselineMetadataKey = "drift_baseline";

    /// <summary>The definition as JSON text (with deploy-time tokens inside strings).</summary>
    public static string ToJson(DriftWorkflowParameters parameters) => Build(parameters).ToJsonString(Json);

    /// <summary>The definition as a JSON document.</summary>
    public static JsonObject Build(DriftWorkflowParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var states = new JsonObject(InputWithDefaults(
            "Optional input: windowEnd, a whole UTC hour (yyyy-MM-ddTHH:00:00Z) the judged window ends at.",
            new JsonObject { ["windowEnd"] = null },
            "ServedModel"))
        {
            // The package is the serving stack's parameter, written into the definition: a promotion updates both.
            ["ServedModel"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Result"] = new JsonObject { ["modelPackageArn"] = p.ServedModelPackageArn },
                ["ResultPath"] = "$.served",
                ["Next"] = "Serving",
            },
            ["Serving"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.served.modelPackageArn", ["StringEquals"] = string.Empty, ["Next"] = "NothingServed" }),
                ["Default"] = "DescribeServedModel",
            },
            ["NothingServed"] = new JsonObject { ["Type"] = "Succeed", ["Comment"] = "No model is served, so no request is captured: nothing to judge." },
            ["DescribeServedModel"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:sagemaker:describeModelPackage",
                ["Parameters"] = new JsonObject { ["ModelPackageName.$"] = "$.served.modelPackageArn" },
                // Whole: the metadata is optional, and a selector on a missing field would fail the run with States.Runtime,
                // which no catcher handles; the Choice below tests for it.
                ["ResultPath"] = "$.package",
                ["Next"] = "HasBaseline",
            }, SageMakerReadErrors)),
            ["HasBaseline"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject
                {
                    ["Variable"] = $"$.package.CustomerMetadataProperties.{BaselineMetadataKey}",
                    ["IsPresent"] = true,
                    ["Next"] = "PlanWindow",
                }),
                ["Default"] = "NoBaseline",
            },
            ["NoBaseline"] = Refusal("NoDriftBaseline",
                $"States.Format('Model package {{}} has no {BaselineMetadataKey} in its customer metadata, so the drift of its inputs cannot be measured: train and promote a model with this version of the pipeline, which writes the baseline.', $.served.modelPackageArn)"),
            ["PlanWindow"] = LambdaTask(p.DriftFunctionArn, new JsonObject
            {
                ["action"] = "plan",
                ["baseline.$"] = $"$.package.CustomerMetadataProperties.{BaselineMetadataKey}",
                ["time.$"] = "$$.Execution.StartTime",
                ["windowEnd.$"] = "$.request.windowEnd",
            }, "$.plan", "CountWindow"),
            ["CountWindow"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::athena:startQueryExecution.sync",
                ["Parameters"] = new JsonObject { ["QueryString.$"] = "$.plan.output.sql", ["WorkGroup"] = p.Workgroup },
                ["ResultSelector"] = new JsonObject { ["queryExecutionId.$"] = "$.QueryExecution.QueryExecutionId" },
                ["ResultPath"] = "$.windowQuery",
                ["Next"] = "ReadWindow",
            }, AthenaTransientErrors)),
            ["ReadWindow"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::athena:getQueryResults",
                ["Parameters"] = new JsonObject { ["QueryExecutionId.$"] = "$.windowQuery.queryExecutionId", ["MaxResults"] = 2 },
                ["ResultSelector"] = new JsonObject { ["Rows.$"] = "$.ResultSet.Rows", ["ResultSetMetadata.$"] = "$.ResultSet.ResultSetMetadata" },
                ["ResultPath"] = "$.window",
                ["Next"] = "Assess",
            }, AthenaTransientErrors)),
            ["Assess"] = LambdaTask(p.DriftFunctionArn, new JsonObject
            {
                ["action"] = "assess",
                ["baseline.$"] = $"$.package.CustomerMetadataProperties.{BaselineMetadataKey}",
                ["window.$"] = "$.plan.output.window",
                ["result.$"] = "$.window",
            }, "$.assessment", "Assessed"),
            ["Assessed"] = new JsonObject
            {
                ["Type"] = "Succeed",
                ["Comment"] = "The report is written and the metrics published; the drift alarms watch the metrics.",
            },
            [NotifyFailure] = Publish(p.AlarmTopicArn, "Drift run failed",
                "States.Format('Drift run {} failed: {}: {}', $$.Execution.Name, $.error.Error, $.error.Cause)",
                "RunFailed"),
            ["RunFailed"] = new JsonObject { ["Type"] = "Fail", ["Error"] = "DriftRunFailed", ["CausePath"] = "$.error.Cause" },
        };

        return new JsonObject
        {
            ["Comment"] = "Judge the last window of the endpoint's captured requests against the served model's training-time baseline.",
            ["StartAt"] = "ReadInput",
            ["TimeoutSeconds"] = p.TimeoutSeconds,
            ["States"] = states,
        };
    }
}
