using System.Text.Json.Nodes;
using Pipeline.Infra.Constructs.Serving;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

/// <summary>The drift workflow's definition, built from fixed parameters (no CDK needed).</summary>
public sealed class DriftWorkflowTests
{
    private static readonly DriftWorkflowParameters Parameters = new()
    {
        ServedModelPackageArn = "arn:aws:sagemaker:eu-west-1:111111111111:model-package/models/3",
        DriftFunctionArn = "arn:aws:lambda:eu-west-1:111111111111:function:drift",
        Workgroup = "drift-wg",
        AlarmTopicArn = "arn:aws:sns:eu-west-1:111111111111:alarms",
        TimeoutSeconds = 3600,
    };

    private static JsonObject States(DriftWorkflowParameters? parameters = null) =>
        DriftWorkflow.Build(parameters ?? Parameters)["States"]!.AsObject();

    [Fact]
    public void Input_Optional_WindowEndMergedOverNull()
    {
        var definition = DriftWorkflow.Build(Parameters);

        Assert.Equal("ReadInput", (string?)definition["StartAt"]);
        Assert.Equal(3600, (int)definition["TimeoutSeconds"]!);
        TemplateJson.AssertEqual("""{ "defaults": { "windowEnd": null }, "input.$": "$$.Execution.Input" }""", States()["ReadInput"]!["Parameters"]);
        Assert.Equal("ServedModel", (string?)States()["MergeInput"]!["Next"]);
    }

    [Fact]
    public void Serving_NoPackageParameter_SucceedsWithoutACall()
    {
        var states = States(Parameters with { ServedModelPackageArn = string.Empty });

        TemplateJson.AssertEqual("""
            { "Type": "Pass", "Result": { "modelPackageArn": "" }, "ResultPath": "$.served", "Next": "Serving" }
            """, states["ServedModel"]);
        TemplateJson.AssertEqual("""
            { "Type": "Choice", "Choices": [{ "Variable": "$.served.modelPackageArn", "StringEquals": "", "Next": "NothingServed" }], "Default": "DescribeServedModel" }
            """, states["Serving"]);
        Assert.Equal("Succeed", (string?)states["NothingServed"]!["Type"]);
    }

    [Fact]
    public void DescribeServedModel_WholeResponse_BaselineTestedByChoiceNotSelected()
    {
        var states = States();

        TemplateJson.AssertEqual("""{ "ModelPackageName.$": "$.served.modelPackageArn" }""", states["DescribeServedModel"]!["Parameters"]);
        Assert.Null(states["DescribeServedModel"]!["ResultSelector"]);
        Assert.Equal("$.package", (string?)states["DescribeServedModel"]!["ResultPath"]);
        TemplateJson.AssertEqual("""
            { "Type": "Choice", "Choices": [{ "Variable": "$.package.CustomerMetadataProperties.drift_baseline", "IsPresent": true, "Next": "PlanWindow" }], "Default": "NoBaseline" }
            """, states["HasBaseline"]);
        TemplateJson.AssertEqual("""
            { "Type": "Pass",
              "Parameters": { "Error": "NoDriftBaseline", "Cause.$": "States.Format('Model package {} has no drift_baseline in its customer metadata, so the drift of its inputs cannot be measured: train and promote a model with this version of the pipeline, which writes the baseline.', $.served.modelPackageArn)" },
              "ResultPath": "$.error", "Next": "NotifyFailure" }
            """, states["NoBaseline"]);
    }

    [Fact]
    public void Functions_PlanAndAssess_InvokedWithThePayloadsTheirContractsName()
    {
        var states = States();

        TemplateJson.AssertEqual("""
            { "FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:drift",
              "Payload": { "action": "plan", "baseline.$": "$.package.CustomerMetadataProperties.drift_baseline", "time.$": "$$.Execution.StartTime", "windowEnd.$": "$.request.windowEnd" } }
            """, states["PlanWindow"]!["Parameters"]);
        TemplateJson.AssertEqual("""
            { "FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:drift",
              "Payload": { "action": "assess", "baseline.$": "$.package.CustomerMetadataProperties.drift_baseline", "window.$": "$.plan.output.window", "result.$": "$.window" } }
            """, states["Assess"]!["Parameters"]);
        Assert.Equal("Succeed", (string?)states[(string)states["Assess"]!["Next"]!]!["Type"]);
    }

    [Fact]
    public void CountWindow_PlannedStatementInTheDriftWorkgroup_WholeResultSetToAssess()
    {
        var states = States();

        TemplateJson.AssertEqual("""{ "QueryString.$": "$.plan.output.sql", "WorkGroup": "drift-wg" }""", states["CountWindow"]!["Parameters"]);
        Assert.Equal("arn:aws:states:::athena:startQueryExecution.sync", (string?)states["CountWindow"]!["Resource"]);
        TemplateJson.AssertEqual("""{ "QueryExecutionId.$": "$.windowQuery.queryExecutionId", "MaxResults": 2 }""", states["ReadWindow"]!["Parameters"]);
        TemplateJson.AssertEqual("""{ "Rows.$": "$.ResultSet.Rows", "ResultSetMetadata.$": "$.ResultSet.ResultSetMetadata" }""", states["ReadWindow"]!["ResultSelector"]);
    }

    [Fact]
    public void Tasks_Every_RetriesTransientErrorsAndReportsFailuresToTheAlarmTopic()
    {
        var states = States();
        var tasks = states.Where(s => (string?)s.Value!["Type"] == "Task" && s.Key != "NotifyFailure").ToList();

        Assert.Equal(["DescribeServedModel", "PlanWindow", "CountWindow", "ReadWindow", "Assess"], tasks.Select(t => t.Key));
        Assert.All(tasks, t =>
        {
            Assert.Equal("NotifyFailure", (string?)t.Value!["Catch"]![0]!["Next"]);
            Assert.Equal("States.ALL", (string?)t.Value!["Catch"]![0]!["ErrorEquals"]![0]);
            Assert.Equal(6, (int)t.Value!["Retry"]![0]!["MaxAttempts"]!);
        });
        TemplateJson.AssertEqual("""
            {
              "TopicArn": "arn:aws:sns:eu-west-1:111111111111:alarms",
              "Subject": "Drift run failed",
              "Message.$": "States.Format('Drift run {} failed: {}: {}', $$.Execution.Name, $.error.Error, $.error.Cause)"
            }
            """, states["NotifyFailure"]!["Parameters"]);
        TemplateJson.AssertEqual("""{ "Type": "Fail", "Error": "DriftRunFailed", "CausePath": "$.error.Cause" }""", states["RunFailed"]);
    }
}
