using System.Text.Json.Nodes;
using Pipeline.Infra.Constructs.Serving;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

/// <summary>The promotion workflow's definition, built from fixed parameters (no CDK needed).</summary>
public sealed class PromotionWorkflowTests
{
    private const string StackId = "arn:aws:cloudformation:eu-west-1:111111111111:stack/mlpipe-sandbox-serving/0a1b2c3d";

    private static readonly PromotionWorkflowParameters Parameters = new()
    {
        ModelPackageGroupName = "models",
        StackId = StackId,
        ModelPackageParameter = "ModelPackageArn",
        Capabilities = ["CAPABILITY_IAM"],
        CloudFormationRoleArn = "arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1",
        AlarmTopicArn = "arn:aws:sns:eu-west-1:111111111111:alarms",
        PollSeconds = 60,
        MaxPolls = 180,
    };

    private static JsonObject Steps => StatesOf(Parameters);

    private static JsonObject StatesOf(PromotionWorkflowParameters parameters) => PromotionWorkflow.Build(parameters)["States"]!.AsObject();

    [Fact]
    public void UpdateStack_NewPackage_PreviousTemplateKeptParametersAsTheBootstrapRoleBrieflyRetried()
    {
        TemplateJson.AssertEqual($$"""
            {
              "Type": "Task",
              "Resource": "arn:aws:states:::aws-sdk:cloudformation:updateStack",
              "Parameters": {
                "StackName": "{{StackId}}",
                "UsePreviousTemplate": true,
                "Parameters.$": "$.parameters",
                "Capabilities": ["CAPABILITY_IAM"],
                "RoleARN": "arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1",
                "ClientRequestToken.$": "$.update.token"
              },
              "ResultPath": null,
              "Next": "StartPolling",
              "Retry": [{ "ErrorEquals": ["CloudFormation.CloudFormationException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL" }],
              "Catch": [{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecheckStack" }]
            }
            """, Steps["UpdateStack"]);
    }

    [Fact]
    public void UpdateStack_Refused_ReReadsTheStackAndEndsQuietlyWhenItServesOrBringsUpThisVersion()
    {
        TemplateJson.AssertEqual($$"""
            {
              "StackName": "{{StackId}}"
            }
            """, Steps["RecheckStack"]!["Parameters"]);
        TemplateJson.AssertEqual("""
            { "status.$": "$.Stacks[0].StackStatus", "parameters.$": "$.Stacks[0].Parameters" }
            """, Steps["RecheckStack"]!["ResultSelector"]);
        Assert.Equal("$.recheck", (string?)Steps["RecheckStack"]!["ResultPath"]);
        Assert.Equal("$.recheck.parameters", (string?)Steps["RecheckServed"]!["ItemsPath"]);
        Assert.Equal("$.recheckServed", (string?)Steps["RecheckServed"]!["ResultPath"]);
        Assert.Equal("RecheckIsModelPackage", (string?)Steps["RecheckServed"]!["ItemProcessor"]!["StartAt"]);
        TemplateJson.AssertEqual("""
            { "Type": "Choice", "Choices": [{ "Variable": "$.recheckServed.thisVersion", "BooleanEquals": true, "Next": "NothingToDo" }], "Default": "NotifyFailure" }
            """, Steps["ServedByAnother"]);
    }

    [Fact]
    public void Input_WithoutAValidModelPackageArn_RefusedWithANotifiedReason()
    {
        Assert.Equal("ValidInput", (string?)Steps["MergeInput"]!["Next"]);
        TemplateJson.AssertEqual("""
            {
              "Type": "Choice",
              "Choices": [{
                "Not": { "Variable": "$.request.modelPackageArn", "IsPresent": true },
                "Next": "InvalidInput"
              }, {
                "And": [
                  { "Variable": "$.request.modelPackageArn", "IsString": true },
                  { "Variable": "$.request.modelPackageArn", "StringMatches": "arn:*:sagemaker:*:model-package/*/*" },
                  { "Variable": "$.request.allowOlder", "IsBoolean": true }
                ],
                "Next": "DescribePackage"
              }],
              "Default": "InvalidInput"
            }
            """, Steps["ValidInput"]);
        Assert.Equal("InvalidInput", (string?)Steps["InvalidInput"]!["Parameters"]!["Error"]);
        // The reason names only the group: the input it refuses may lack every field.
        Assert.DoesNotContain("$.request", (string?)Steps["InvalidInput"]!["Parameters"]!["Cause.$"], StringComparison.Ordinal);
        Assert.Equal("NotifyFailure", (string?)Steps["InvalidInput"]!["Next"]);
    }

    [Fact]
    public void KeepParameters_EveryStackParameter_PreviousValueExceptTheModelPackage()
    {
        TemplateJson.AssertEqual("""
            {
              "Type": "Map",
              "Comment": "Every parameter keeps its previous value, except the model package.",
              "ItemsPath": "$.stack.parameters",
              "ItemSelector": { "key.$": "$$.Map.Item.Value.ParameterKey", "modelPackageArn.$": "$.request.modelPackageArn" },
              "ItemProcessor": {
                "ProcessorConfig": { "Mode": "INLINE" },
                "StartAt": "IsModelPackage",
                "States": {
                  "IsModelPackage": { "Type": "Choice", "Choices": [{ "Variable": "$.key", "StringEquals": "ModelPackageArn", "Next": "NewModelPackage" }], "Default": "PreviousValue" },
                  "PreviousValue": { "Type": "Pass", "Parameters": { "ParameterKey.$": "$.key", "UsePreviousValue": true }, "End": true },
                  "NewModelPackage": { "Type": "Pass", "Parameters": { "ParameterKey.$": "$.key", "ParameterValue.$": "$.modelPackageArn" }, "End": true }
                }
              },
              "ResultPath": "$.parameters",
              "Next": "NameUpdate"
            }
            """, Steps["KeepParameters"]);
    }

    [Fact]
    public void Baseline_UnmonitoredStack_NeitherReadNorSet()
    {
        Assert.Equal("KeepParameters", (string?)Steps["StackSettled"]!["Choices"]![0]!["Next"]);
        Assert.Null(Steps["HasBaseline"]);
        Assert.Null(Steps["KeepParameters"]!["ItemSelector"]!["baseline.$"]);
    }

    [Fact]
    public void ReadStack_ThisStack_StatusParametersAndTheServedPackage()
    {
        TemplateJson.AssertEqual($$"""
            {
              "StackName": "{{StackId}}"
            }
            """, Steps["ReadStack"]!["Parameters"]);
        TemplateJson.AssertEqual("""
            { "status.$": "$.Stacks[0].StackStatus", "parameters.$": "$.Stacks[0].Parameters" }
            """, Steps["ReadStack"]!["ResultSelector"]);
        Assert.Equal("CheckServed", (string?)Steps["ReadStack"]!["Next"]);
    }

    [Fact]
    public void CheckServed_StackParameters_TrueOnlyWhenTheModelPackageParameterNamesThisVersion()
    {
        TemplateJson.AssertEqual("""
            {
              "Type": "Map",
              "ItemsPath": "$.stack.parameters",
              "ItemSelector": { "parameter.$": "$$.Map.Item.Value", "modelPackageArn.$": "$.request.modelPackageArn" },
              "ItemProcessor": {
                "ProcessorConfig": { "Mode": "INLINE" },
                "StartAt": "ReadIsModelPackage",
                "States": {
                  "ReadIsModelPackage": {
                    "Type": "Choice",
                    "Choices": [{
                      "And": [{ "Variable": "$.parameter.ParameterKey", "StringEquals": "ModelPackageArn" }, { "Variable": "$.parameter.ParameterValue", "IsPresent": true }],
                      "Next": "ReadIsThisVersion"
                    }],
                    "Default": "ReadOther"
                  },
                  "ReadIsThisVersion": {
                    "Type": "Choice",
                    "Choices": [{ "Variable": "$.parameter.ParameterValue", "StringEqualsPath": "$.modelPackageArn", "Next": "ReadThisVersion" }],
                    "Default": "ReadOther"
                  },
                  "ReadThisVersion": { "Type": "Pass", "Result": "this version", "End": true },
                  "ReadOther": { "Type": "Pass", "Result": "other", "End": true }
                }
              },
              "ResultSelector": { "thisVersion.$": "States.ArrayContains($, 'this version')" },
              "ResultPath": "$.served",
              "Next": "AlreadyServed"
            }
            """, Steps["CheckServed"]);
    }

    [Fact]
    public void Definition_Paths_NoFilterExpressionsWhoseEmptyMatchInterpretersDisagreeOn()
    {
        Assert.DoesNotContain("?(", PromotionWorkflow.ToJson(Parameters), StringComparison.Ordinal);
    }

    [Fact]
    public void Package_NotOfTheGroupApprovedAndComplete_Refused()
    {
        TemplateJson.AssertEqual("""
            {
              "Type": "Choice",
              "Choices": [{
                "And": [
                  { "Variable": "$.package.ModelPackageGroupName", "StringEquals": "models" },
                  { "Variable": "$.package.ModelApprovalStatus", "StringEquals": "Approved" },
                  { "Variable": "$.package.ModelPackageStatus", "StringEquals": "Completed" }
                ],
                "Next": "OlderAllowed"
              }],
              "Default": "NotPromotable"
            }
            """, Steps["Promotable"]);
        TemplateJson.AssertEqual("""
            { "ModelPackageName.$": "$.request.modelPackageArn" }
            """, Steps["DescribePackage"]!["Parameters"]);
        Assert.Null(Steps["DescribePackage"]!["ResultSelector"]);
        Assert.Equal("NotPromotable", (string?)Steps["NotPromotable"]!["Parameters"]!["Error"]);
    }

    [Fact]
    public void Package_OlderThanTheNewestApproved_RefusedUnlessAllowOlder()
    {
        TemplateJson.AssertEqual("""
            { "Type": "Choice", "Choices": [{ "Variable": "$.request.allowOlder", "BooleanEquals": true, "Next": "ReadStack" }], "Default": "FindNewest" }
            """, Steps["OlderAllowed"]);
        TemplateJson.AssertEqual("""
            { "ModelPackageGroupName": "models", "ModelPackageType": "Versioned", "ModelApprovalStatus": "Approved", "SortBy": "CreationTime", "SortOrder": "Descending", "MaxResults": 1 }
            """, Steps["FindNewest"]!["Parameters"]);
        Assert.Null(Steps["FindNewest"]!["ResultSelector"]);
        TemplateJson.AssertEqual("""
            {
              "Type": "Choice",
              "Choices": [
                { "Not": { "Variable": "$.newest.ModelPackageSummaryList[0].ModelPackageArn", "IsPresent": true }, "Next": "NoneListed" },
                { "Variable": "$.newest.ModelPackageSummaryList[0].ModelPackageArn", "StringEqualsPath": "$.request.modelPackageArn", "Next": "ReadStack" }
              ],
              "Default": "NotNewest"
            }
            """, Steps["IsNewest"]);
        Assert.Equal("NotNewest", (string?)Steps["NotNewest"]!["Parameters"]!["Error"]);
        Assert.Equal("NoneListed", (string?)Steps["NoneListed"]!["Parameters"]!["Error"]);
        Assert.Equal("NotifyFailure", (string?)Steps["NoneListed"]!["Next"]);
    }

    [Fact]
    public void Input_Optional_AllowOlderFalseByDefault()
    {
        TemplateJson.AssertEqual("""{ "allowOlder": false }""", Steps["ReadInput"]!["Parameters"]!["defaults"]);
        Assert.Equal("States.JsonMerge($.defaults, $.input, false)", (string?)Steps["MergeInput"]!["Parameters"]!["request.$"]);
    }

    [Fact]
    public void Stack_AlreadyServingThePackage_SucceedsBeforeLookingAtItsStatus()
    {
        TemplateJson.AssertEqual("""
            { "Type": "Choice", "Choices": [{ "Variable": "$.served.thisVersion", "BooleanEquals": true, "Next": "NothingToDo" }], "Default": "StackSettled" }
            """, Steps["AlreadyServed"]);
        Assert.Equal("Succeed", (string?)Steps["NothingToDo"]!["Type"]);
    }

    [Fact]
    public void Stack_BusyWithAnotherOperation_SecondPromotionRefusedWithTheReason()
    {
        TemplateJson.AssertEqual("""
            {
              "Type": "Choice",
              "Choices": [{
                "Or": [
                  { "Variable": "$.stack.status", "StringEquals": "CREATE_COMPLETE" },
                  { "Variable": "$.stack.status", "StringEquals": "UPDATE_COMPLETE" },
                  { "Variable": "$.stack.status", "StringEquals": "UPDATE_ROLLBACK_COMPLETE" },
                  { "Variable": "$.stack.status", "StringEquals": "IMPORT_COMPLETE" },
                  { "Variable": "$.stack.status", "StringEquals": "IMPORT_ROLLBACK_COMPLETE" }
                ],
                "Next": "KeepParameters"
              }],
              "Default": "StackBusy"
            }
            """, Steps["StackSettled"]);
        TemplateJson.AssertEqual("""
            {
              "Type": "Pass",
              "Parameters": {
                "Error": "StackBusy",
                "Cause.$": "States.Format('The serving stack is {}: another promotion or deployment is running. Start the promote state machine again with modelPackageArn {} once the stack has settled.', $.stack.status, $.request.modelPackageArn)"
              },
              "ResultPath": "$.error",
              "Next": "NotifyFailure"
            }
            """, Steps["StackBusy"]);
    }

    [Fact]
    public void Update_InProgress_PolledUntilCompleteOrFailedAtMostMaxPollsTimes()
    {
        TemplateJson.AssertEqual("""{ "Type": "Pass", "Result": { "count": 0 }, "ResultPath": "$.polls", "Next": "WaitForUpdate" }""", Steps["StartPolling"]);
        TemplateJson.AssertEqual("""{ "Type": "Wait", "Seconds": 60, "Next": "ReadProgress" }""", Steps["WaitForUpdate"]);
        TemplateJson.AssertEqual("""
            {
              "Type": "Choice",
              "Choices": [
                { "Variable": "$.progress.status", "StringEquals": "UPDATE_COMPLETE", "Next": "NotifyPromoted" },
                {
                  "And": [
                    { "Variable": "$.progress.status", "StringMatches": "*_IN_PROGRESS" },
                    { "Variable": "$.polls.count", "NumericLessThan": 180 }
                  ],
                  "Next": "CountPoll"
                },
                { "Variable": "$.progress.status", "StringMatches": "*_IN_PROGRESS", "Next": "UpdateTooLong" }
              ],
              "Default": "ReadFailure"
            }
            """, Steps["UpdateDone"]);
        TemplateJson.AssertEqual("""
            { "Type": "Pass", "Parameters": { "count.$": "States.MathAdd($.polls.count, 1)" }, "ResultPath": "$.polls", "Next": "WaitForUpdate" }
            """, Steps["CountPoll"]);
        Assert.Equal("UpdateTooLong", (string?)Steps["UpdateTooLong"]!["Parameters"]!["Error"]);
        Assert.Equal("NotifyFailure", (string?)Steps["UpdateTooLong"]!["Next"]);
    }

    [Fact]
    public void Update_RolledBack_FailsWithTheFailedResourcesReasons()
    {
        TemplateJson.AssertEqual("""
            { "events.$": "$.StackEvents", "count.$": "States.ArrayLength($.StackEvents)" }
            """, Steps["ReadFailure"]!["ResultSelector"]);
        Assert.Equal("arn:aws:states:::aws-sdk:cloudformation:describeStackEvents", (string?)Steps["ReadFailure"]!["Resource"]);
        TemplateJson.AssertEqual("""{ "next": 0, "text": "" }""", Steps["StartReasons"]!["Parameters"]);
        TemplateJson.AssertEqual("""
            { "Type": "Choice", "Choices": [{ "Variable": "$.reasons.next", "NumericLessThanPath": "$.history.count", "Next": "TakeEvent" }], "Default": "UpdateFailed" }
            """, Steps["MoreEvents"]);
        Assert.Equal("States.ArrayGetItem($.history.events, $.reasons.next)", (string?)Steps["TakeEvent"]!["Parameters"]!["event.$"]);
        Assert.Equal("States.MathAdd($.reasons.next, 1)", (string?)Steps["TakeEvent"]!["Parameters"]!["next.$"]);
        Assert.Equal("States.Format('{}({} {}: {}) ', $.reasons.text, $.reasons.event.LogicalResourceId, $.reasons.event.ResourceStatus, $.reasons.event.ResourceStatusReason)",
            (string?)Steps["AddReason"]!["Parameters"]!["text.$"]);
        TemplateJson.AssertEqual("""
            {
              "Error": "UpdateFailed",
              "Cause.$": "States.Format('Updating the serving stack to model package {} ended in {}. What failed in this update, newest first: {}(the stack events have the rest)', $.request.modelPackageArn, $.progress.status, $.reasons.text)"
            }
            """, Steps["UpdateFailed"]!["Parameters"]);
    }

    [Fact]
    public void Update_RolledBack_ReasonsOnlyFromTheEventsOfThisUpdatesToken()
    {
        Assert.Equal("States.UUID()", (string?)Steps["NameUpdate"]!["Parameters"]!["token.$"]);
        Assert.Equal("NameUpdate", (string?)Steps["KeepParameters"]!["Next"]);
        Assert.Equal("$.update.token", (string?)Steps["UpdateStack"]!["Parameters"]!["ClientRequestToken.$"]);
        TemplateJson.AssertEqual("""
            {
              "Type": "Choice",
              "Choices": [{
                "And": [
                  { "Variable": "$.reasons.event.ClientRequestToken", "IsPresent": true },
                  { "Variable": "$.reasons.event.ClientRequestToken", "StringEqualsPath": "$.update.token" }
                ],
                "Next": "FailedInThisUpdate"
              }],
              "Default": "UpdateFailed"
            }
            """, Steps["OfThisUpdate"]);
        TemplateJson.AssertEqual("""
            {
              "Type": "Choice",
              "Choices": [{
                "And": [
                  { "Variable": "$.reasons.event.ResourceStatus", "StringMatches": "*_FAILED" },
                  { "Variable": "$.reasons.event.ResourceStatusReason", "IsPresent": true }
                ],
                "Next": "AddReason"
              }],
              "Default": "MoreEvents"
            }
            """, Steps["FailedInThisUpdate"]);
    }

    [Fact]
    public void Outcomes_SuccessAndFailure_PublishedToTheAlarmTopic()
    {
        TemplateJson.AssertEqual("""
            {
              "TopicArn": "arn:aws:sns:eu-west-1:111111111111:alarms",
              "Subject": "Model promoted",
              "Message.$": "States.Format('The endpoint now serves model package {} (promote execution {}).', $.request.modelPackageArn, $$.Execution.Name)"
            }
            """, Steps["NotifyPromoted"]!["Parameters"]);
        TemplateJson.AssertEqual("""[{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Promoted" }]""", Steps["NotifyPromoted"]!["Catch"]);
        TemplateJson.AssertEqual("""
            {
              "TopicArn": "arn:aws:sns:eu-west-1:111111111111:alarms",
              "Subject": "Promotion failed",
              "Message.$": "States.Format('Promote execution {} failed: {}: {}', $$.Execution.Name, $.error.Error, $.error.Cause)"
            }
            """, Steps["NotifyFailure"]!["Parameters"]);
        TemplateJson.AssertEqual("""{ "Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause" }""", Steps["PromotionFailed"]);
    }

    [Fact]
    public void Tasks_Every_RetriesTransientReadErrorsAndCatchesEverything()
    {
        var tasks = Steps.Where(s => (string?)s.Value!["Type"] == "Task").ToDictionary(s => s.Key, s => s.Value!);
        var reads = new[] { "DescribePackage", "FindNewest", "ReadStack", "RecheckStack", "ReadProgress", "ReadFailure" };
        string ErrorsOf(string task) => task is "DescribePackage" or "FindNewest"
            ? "\"SageMaker.SageMakerException\", \"SageMaker.ThrottlingException\""
            : "\"CloudFormation.CloudFormationException\"";

        Assert.Equal(["DescribePackage", "FindNewest", "ReadStack", "UpdateStack", "RecheckStack", "ReadProgress", "NotifyPromoted", "ReadFailure", "NotifyFailure"], tasks.Keys);
        Assert.All(reads, name => TemplateJson.AssertEqual($$"""
            [{ "ErrorEquals": [{{ErrorsOf(name)}}], "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2, "JitterStrategy": "FULL" }]
            """, tasks[name]["Retry"]));
        Assert.All(reads, name => TemplateJson.AssertEqual("""
            [{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFailure" }]
            """, tasks[name]["Catch"]));
        Assert.Equal(3, (int)tasks["UpdateStack"]["Retry"]![0]!["MaxAttempts"]!);
        Assert.Null(tasks["NotifyFailure"]["Catch"]);
    }

    [Fact]
    public void States_Every_ReachableFromTheStart()
    {
        var parameters = Parameters;
        var definition = PromotionWorkflow.Build(parameters);
        var states = StatesOf(parameters);
        var reached = new HashSet<string>();
        var pending = new Stack<string>([(string)definition["StartAt"]!]);
        while (pending.TryPop(out var name))
        {
            if (!reached.Add(name))
            {
                continue;
            }

            var state = states[name]!;
            var next = new[] { state["Next"], state["Default"] }
                .Concat(state["Choices"]?.AsArray().Select(c => c!["Next"]) ?? [])
                .Concat(state["Catch"]?.AsArray().Select(c => c!["Next"]) ?? []);
            foreach (var target in next.OfType<JsonNode>())
            {
                pending.Push((string)target!);
            }
        }

        Assert.Equal(states.Select(s => s.Key).Order(), reached.Order());
        // The polls' 3 hours plus an hour for the other states: a backstop behind the notified poll limit.
        Assert.Equal(14400, (int)definition["TimeoutSeconds"]!);
    }
}
