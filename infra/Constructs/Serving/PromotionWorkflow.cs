using System.Text.Json.Nodes;
using static Pipeline.Infra.Constructs.Workflows.Asl;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>What the promotion workflow's definition is built from: names and ARNs (deploy-time tokens) and timings.</summary>
public sealed record PromotionWorkflowParameters
{
    /// <summary>The model package group whose approved versions may be served.</summary>
    public required string ModelPackageGroupName { get; init; }

    /// <summary>The id (ARN) of the serving stack the workflow updates.</summary>
    public required string StackId { get; init; }

    /// <summary>The stack parameter that names the model package to serve.</summary>
    public required string ModelPackageParameter { get; init; }

    /// <summary>Capabilities the serving stack's template needs (it creates IAM roles).</summary>
    public required IReadOnlyList<string> Capabilities { get; init; }

    /// <summary>ARN of the role CloudFormation updates the stack with (the CDK bootstrap's execution role).</summary>
    public required string CloudFormationRoleArn { get; init; }

    /// <summary>ARN of the alarm topic outcomes are published to.</summary>
    public required string AlarmTopicArn { get; init; }

    /// <summary>Seconds between two reads of the stack's status while it updates.</summary>
    public required int PollSeconds { get; init; }

    /// <summary>How many times the stack's status is read before the promotion gives up waiting (and says so).</summary>
    public required int MaxPolls { get; init; }

    /// <summary>
    /// The execution's own bound, a backstop behind <see cref="MaxPolls"/> (which ends the wait with a notified failure):
    /// the polls plus an hour for the other states.
    /// </summary>
    public int TimeoutSeconds => PollSeconds * MaxPolls + 3600;
}

/// <summary>
/// The Amazon States Language definition of the promotion workflow: serve a model package by updating the serving stack's
/// parameter through CloudFormation, so the template and the account never drift.
/// </summary>
/// <remarks>
/// Input <c>{"modelPackageArn": "…", "allowOlder": false}</c> (the approval rule sends the approved version's ARN).
/// Check the package (this group's, approved, complete; the newest approved unless <c>allowOlder</c>) → read the stack:
/// already serving it → done; the stack is busy (another promotion or deployment) → refuse → update the stack with the
/// previous template, the new package and every other parameter's previous value, as the bootstrap's CloudFormation
/// role → poll until the update completes (notify) or fails or rolls back (notify with the failed resources' reasons, and
/// fail). Every refusal and failure is published to the alarm topic and fails the execution.
/// </remarks>
public static class PromotionWorkflow
{
    /// <summary>Stack statuses in which an update may start (CloudFormation API reference, UpdateStack).</summary>
    internal static readonly string[] SettledStatuses =
        ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"];

    /// <summary>
    /// Errors of the CloudFormation read calls worth retrying: the SDK integration reports throttling and other
    /// unmodelled service errors under the service's base exception.
    /// </summary>
    internal static readonly string[] CloudFormationReadErrors = ["CloudFormation.CloudFormationException"];

    /// <summary>The definition as JSON text (with deploy-time tokens inside strings).</summary>
    public static string ToJson(PromotionWorkflowParameters parameters) => Build(parameters).ToJsonString(Json);

    /// <summary>The definition as a JSON document.</summary>
    public static JsonObject Build(PromotionWorkflowParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var states = new JsonObject(InputWithDefaults(
            "Input: modelPackageArn, and allowOlder true to serve an approved version older than the newest (a rollback).",
            new JsonObject { ["allowOlder"] = false },
            "ValidInput"))
        {
            // A path that is missing or of another type would fail the run with States.Runtime, which no catcher handles;
            // rules are tried in order, so the comparisons only see a value that is present.
            ["ValidInput"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject
                    {
                        ["Not"] = new JsonObject { ["Variable"] = "$.request.modelPackageArn", ["IsPresent"] = true },
                        ["Next"] = "InvalidInput",
                    },
                    new JsonObject
                    {
                        ["And"] = new JsonArray(
                            new JsonObject { ["Variable"] = "$.request.modelPackageArn", ["IsString"] = true },
                            new JsonObject { ["Variable"] = "$.request.modelPackageArn", ["StringMatches"] = "arn:*:sagemaker:*:model-package/*/*" },
                            new JsonObject { ["Variable"] = "$.request.allowOlder", ["IsBoolean"] = true }),
                        ["Next"] = "DescribePackage",
                    }),
                ["Default"] = "InvalidInput",
            },
            ["InvalidInput"] = Refusal("InvalidInput",
                $"States.Format('The promote state machine needs modelPackageArn, the ARN of a version of model package group {{}} (arn:aws:sagemaker:REGION:ACCOUNT:model-package/GROUP/VERSION), and allowOlder true or false if given: start it again with that input.', '{p.ModelPackageGroupName}')"),
            ["DescribePackage"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:sagemaker:describeModelPackage",
                ["Parameters"] = new JsonObject { ["ModelPackageName.$"] = "$.request.modelPackageArn" },
                // Whole: a selector would fail on the optional fields (metrics) a version may not have.
                ["ResultPath"] = "$.package",
                ["Next"] = "Promotable",
            }, SageMakerReadErrors)),
            ["Promotable"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject
                {
                    ["And"] = new JsonArray(
                        new JsonObject { ["Variable"] = "$.package.ModelPackageGroupName", ["StringEquals"] = p.ModelPackageGroupName },
                        new JsonObject { ["Variable"] = "$.package.ModelApprovalStatus", ["StringEquals"] = "Approved" },
                        new JsonObject { ["Variable"] = "$.package.ModelPackageStatus", ["StringEquals"] = "Completed" }),
                    ["Next"] = "OlderAllowed",
                }),
                ["Default"] = "NotPromotable",
            },
            ["NotPromotable"] = Refusal("NotPromotable",
                "States.Format('Model package {} is {} and {} in group {}: only a completed, approved version of the pipeline model package group is served.', $.request.modelPackageArn, $.package.ModelPackageStatus, $.package.ModelApprovalStatus, $.package.ModelPackageGroupName)"),
            ["OlderAllowed"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.request.allowOlder", ["BooleanEquals"] = true, ["Next"] = "ReadStack" }),
                ["Default"] = "FindNewest",
            },
            // An approved version's later changes (description, metadata) raise the same event: without this check they
            // would bring an older model back.
            ["FindNewest"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:sagemaker:listModelPackages",
                ["Parameters"] = new JsonObject
                {
                    ["ModelPackageGroupName"] = p.ModelPackageGroupName,
                    ["ModelPackageType"] = "Versioned",
                    ["ModelApprovalStatus"] = "Approved",
                    ["SortBy"] = "CreationTime",
                    ["SortOrder"] = "Descending",
                    ["MaxResults"] = 1,
                },
                // Whole: the list may be empty (a just-approved version may not be listed yet), and a selector on its
                // first item would then fail the run with States.Runtime, which no catcher handles.
                ["ResultPath"] = "$.newest",
                ["Next"] = "IsNewest",
            }, SageMakerReadErrors)),
            ["IsNewest"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject
                    {
                        ["Not"] = new JsonObject { ["Variable"] = "$.newest.ModelPackageSummaryList[0].ModelPackageArn", ["IsPresent"] = true },
                        ["Next"] = "NoneListed",
                    },
                    new JsonObject { ["Variable"] = "$.newest.ModelPackageSummaryList[0].ModelPackageArn", ["StringEqualsPath"] = "$.request.modelPackageArn", ["Next"] = "ReadStack" }),
                ["Default"] = "NotNewest",
            },
            ["NoneListed"] = Refusal("NoneListed",
                "States.Format('The registry lists no approved version yet, although model package {} is approved: the listing may lag the approval. Start the promote state machine again with this modelPackageArn in a minute.', $.request.modelPackageArn)"),
            ["NotNewest"] = Refusal("NotNewest",
                "States.Format('Model package {} is not the newest approved version ({} is): to serve it, start the promote state machine with allowOlder true.', $.request.modelPackageArn, $.newest.ModelPackageSummaryList[0].ModelPackageArn)"),
            ["ReadStack"] = ReadStackState(p.StackId, "$.stack", "CheckServed"),
            ["CheckServed"] = ServesThisVersion("Read", "$.stack.parameters", p.ModelPackageParameter, "$.served", "AlreadyServed"),
            // Checked before the stack's status: a repeated event for the version being promoted is not a conflict.
            ["AlreadyServed"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.served.thisVersion", ["BooleanEquals"] = true, ["Next"] = "NothingToDo" }),
                ["Default"] = "StackSettled",
            },
            ["NothingToDo"] = new JsonObject { ["Type"] = "Succeed", ["Comment"] = "The stack already serves (or is bringing up) this version." },
            ["StackSettled"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject
                {
                    ["Or"] = new JsonArray([.. SettledStatuses.Select(s => (JsonNode)new JsonObject { ["Variable"] = "$.stack.status", ["StringEquals"] = s })]),
                    ["Next"] = "KeepParameters",
                }),
                ["Default"] = "StackBusy",
            },
            ["StackBusy"] = Refusal("StackBusy",
                "States.Format('The serving stack is {}: another promotion or deployment is running. Start the promote state machine again with modelPackageArn {} once the stack has settled.', $.stack.status, $.request.modelPackageArn)"),
            ["KeepParameters"] = new JsonObject
            {
                ["Type"] = "Map",
                ["Comment"] = "Every parameter keeps its previous value, except the model package.",
                ["ItemsPath"] = "$.stack.parameters",
                ["ItemSelector"] = new JsonObject
                {
                    ["key.$"] = "$$.Map.Item.Value.ParameterKey",
                    ["modelPackageArn.$"] = "$.request.modelPackageArn",
                },
                ["ItemProcessor"] = new JsonObject
                {
                    ["ProcessorConfig"] = new JsonObject { ["Mode"] = "INLINE" },
                    ["StartAt"] = "IsModelPackage",
                    ["States"] = new JsonObject
                    {
                        ["IsModelPackage"] = new JsonObject
                        {
                            ["Type"] = "Choice",
                            ["Choices"] = new JsonArray([.. NewValues(p).Select(v => (JsonNode)new JsonObject { ["Variable"] = "$.key", ["StringEquals"] = v.Key, ["Next"] = v.State })]),
                            ["Default"] = "PreviousValue",
                        },
                        ["PreviousValue"] = new JsonObject
                        {
                            ["Type"] = "Pass",
                            ["Parameters"] = new JsonObject { ["ParameterKey.$"] = "$.key", ["UsePreviousValue"] = true },
                            ["End"] = true,
                        },
                    },
                },
                ["ResultPath"] = "$.parameters",
                ["Next"] = "NameUpdate",
            },
            // CloudFormation tags every event of the update (its rollback included) with this token, so a failure is
            // explained by this update's events only; a retried call with the same token is the same request.
            ["NameUpdate"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Parameters"] = new JsonObject { ["token.$"] = "States.UUID()" },
                ["ResultPath"] = "$.update",
                ["Next"] = "UpdateStack",
            },
            // Retried briefly (throttling; a refused call starts nothing). A refusal is checked against the stack: another
            // execution for the same version (SageMaker may send an approval event more than once) may have started the
            // update between this one's checks and its call.
            ["UpdateStack"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:cloudformation:updateStack",
                ["Parameters"] = new JsonObject
                {
                    ["StackName"] = p.StackId,
                    ["UsePreviousTemplate"] = true,
                    ["Parameters.$"] = "$.parameters",
                    ["Capabilities"] = new JsonArray([.. p.Capabilities.Select(c => (JsonNode)c)]),
                    ["RoleARN"] = p.CloudFormationRoleArn,
                    ["ClientRequestToken.$"] = "$.update.token",
                },
                ["ResultPath"] = JsonValue.Create<string?>(null),
                ["Next"] = "StartPolling",
            }, CloudFormationReadErrors, maxAttempts: 3), "RecheckStack"),
            ["RecheckStack"] = ReadStackState(p.StackId, "$.recheck", "RecheckServed"),
            ["RecheckServed"] = ServesThisVersion("Recheck", "$.recheck.parameters", p.ModelPackageParameter, "$.recheckServed", "ServedByAnother"),
            ["ServedByAnother"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.recheckServed.thisVersion", ["BooleanEquals"] = true, ["Next"] = "NothingToDo" }),
                // The refusal itself ($.error from the catcher) is what is notified.
                ["Default"] = NotifyFailure,
            },
            ["StartPolling"] = new JsonObject { ["Type"] = "Pass", ["Result"] = new JsonObject { ["count"] = 0 }, ["ResultPath"] = "$.polls", ["Next"] = "WaitForUpdate" },
            ["WaitForUpdate"] = new JsonObject { ["Type"] = "Wait", ["Seconds"] = p.PollSeconds, ["Next"] = "ReadProgress" },
            ["ReadProgress"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:cloudformation:describeStacks",
                ["Parameters"] = new JsonObject { ["StackName"] = p.StackId },
                ["ResultSelector"] = new JsonObject { ["status.$"] = "$.Stacks[0].StackStatus" },
                ["ResultPath"] = "$.progress",
                ["Next"] = "UpdateDone",
            }, CloudFormationReadErrors)),
            ["UpdateDone"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject { ["Variable"] = "$.progress.status", ["StringEquals"] = "UPDATE_COMPLETE", ["Next"] = "NotifyPromoted" },
                    new JsonObject
                    {
                        ["And"] = new JsonArray(
                            new JsonObject { ["Variable"] = "$.progress.status", ["StringMatches"] = "*_IN_PROGRESS" },
                            new JsonObject { ["Variable"] = "$.polls.count", ["NumericLessThan"] = p.MaxPolls }),
                        ["Next"] = "CountPoll",
                    },
                    new JsonObject { ["Variable"] = "$.progress.status", ["StringMatches"] = "*_IN_PROGRESS", ["Next"] = "UpdateTooLong" }),
                ["Default"] = "ReadFailure",
            },
            ["CountPoll"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Parameters"] = new JsonObject { ["count.$"] = "States.MathAdd($.polls.count, 1)" },
                ["ResultPath"] = "$.polls",
                ["Next"] = "WaitForUpdate",
            },
            // The update goes on in CloudFormation; the promotion stops waiting and says so.
            ["UpdateTooLong"] = Refusal("UpdateTooLong",
                "States.Format('The serving stack is still {} after {} reads of its status; the update goes on in CloudFormation: follow it there (stack events).', $.progress.status, $.polls.count)"),
            // A lost notification does not undo the promotion.
            ["NotifyPromoted"] = Catching(Publish(p.AlarmTopicArn, "Model promoted",
                "States.Format('The endpoint now serves model package {} (promote execution {}).', $.request.modelPackageArn, $$.Execution.Name)",
                "Promoted"), "Promoted"),
            ["Promoted"] = new JsonObject { ["Type"] = "Succeed" },
            // Events come newest first, this update's (its token) before any earlier operation's: the reasons of the
            // resources that failed in this update, read one event at a time up to the first event of another operation.
            ["ReadFailure"] = Catching(Retrying(new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:cloudformation:describeStackEvents",
                ["Parameters"] = new JsonObject { ["StackName"] = p.StackId },
                ["ResultSelector"] = new JsonObject { ["events.$"] = "$.StackEvents", ["count.$"] = "States.ArrayLength($.StackEvents)" },
                ["ResultPath"] = "$.history",
                ["Next"] = "StartReasons",
            }, CloudFormationReadErrors)),
            ["StartReasons"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Parameters"] = new JsonObject { ["next"] = 0, ["text"] = string.Empty },
                ["ResultPath"] = "$.reasons",
                ["Next"] = "MoreEvents",
            },
            ["MoreEvents"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.reasons.next", ["NumericLessThanPath"] = "$.history.count", ["Next"] = "TakeEvent" }),
                ["Default"] = "UpdateFailed",
            },
            ["TakeEvent"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Parameters"] = new JsonObject
                {
                    ["next.$"] = "States.MathAdd($.reasons.next, 1)",
                    ["text.$"] = "$.reasons.text",
                    ["event.$"] = "States.ArrayGetItem($.history.events, $.reasons.next)",
                },
                ["ResultPath"] = "$.reasons",
                ["Next"] = "OfThisUpdate",
            },
            ["OfThisUpdate"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject
                {
                    ["And"] = new JsonArray(
                        new JsonObject { ["Variable"] = "$.reasons.event.ClientRequestToken", ["IsPresent"] = true },
                        new JsonObject { ["Variable"] = "$.reasons.event.ClientRequestToken", ["StringEqualsPath"] = "$.update.token" }),
                    ["Next"] = "FailedInThisUpdate",
                }),
                ["Default"] = "UpdateFailed",
            },
            ["FailedInThisUpdate"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject
                {
                    ["And"] = new JsonArray(
                        new JsonObject { ["Variable"] = "$.reasons.event.ResourceStatus", ["StringMatches"] = "*_FAILED" },
                        new JsonObject { ["Variable"] = "$.reasons.event.ResourceStatusReason", ["IsPresent"] = true }),
                    ["Next"] = "AddReason",
                }),
                ["Default"] = "MoreEvents",
            },
            ["AddReason"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Parameters"] = new JsonObject
                {
                    ["next.$"] = "$.reasons.next",
                    ["text.$"] = "States.Format('{}({} {}: {}) ', $.reasons.text, $.reasons.event.LogicalResourceId, $.reasons.event.ResourceStatus, $.reasons.event.ResourceStatusReason)",
                },
                ["ResultPath"] = "$.reasons",
                ["Next"] = "MoreEvents",
            },
            ["UpdateFailed"] = Refusal("UpdateFailed",
                "States.Format('Updating the serving stack to model package {} ended in {}. What failed in this update, newest first: {}(the stack events have the rest)', $.request.modelPackageArn, $.progress.status, $.reasons.text)"),
            [NotifyFailure] = Publish(p.AlarmTopicArn, "Promotion failed",
                "States.Format('Promote execution {} failed: {}: {}', $$.Execution.Name, $.error.Error, $.error.Cause)",
                "PromotionFailed"),
            ["PromotionFailed"] = new JsonObject { ["Type"] = "Fail", ["ErrorPath"] = "$.error.Error", ["CausePath"] = "$.error.Cause" },
        };

        var processor = states["KeepParameters"]!["ItemProcessor"]!["States"]!.AsObject();
        foreach (var (_, state, path) in NewValues(p))
        {
            processor[state] = NewValue(path);
        }

        return new JsonObject
        {
            ["Comment"] = "Serve an approved model package: update the serving stack's ModelPackageArn through CloudFormation.",
            ["StartAt"] = "ReadInput",
            ["TimeoutSeconds"] = p.TimeoutSeconds,
            ["States"] = states,
        };
    }

    /// <summary>The stack's status and parameters, at <paramref name="resultPath"/>.</summary>
    private static JsonObject ReadStackState(string stackId, string resultPath, string next) => Catching(Retrying(new JsonObject
    {
        ["Type"] = "Task",
        ["Resource"] = "arn:aws:states:::aws-sdk:cloudformation:describeStacks",
        ["Parameters"] = new JsonObject { ["StackName"] = stackId },
        ["ResultSelector"] = new JsonObject { ["status.$"] = "$.Stacks[0].StackStatus", ["parameters.$"] = "$.Stacks[0].Parameters" },
        ["ResultPath"] = resultPath,
        ["Next"] = next,
    }, CloudFormationReadErrors));

    /// <summary>
    /// A Map over the stack's parameters that leaves <c>{"thisVersion": true|false}</c> at <paramref name="resultPath"/>:
    /// whether the model package parameter names the requested version (a JSONPath filter would be simpler, but one
    /// that matches nothing is an empty list on AWS and an error in ASL interpreters).
    /// </summary>
    private static JsonObject ServesThisVersion(string prefix, string itemsPath, string parameter, string resultPath, string next) => new()
    {
        ["Type"] = "Map",
        ["ItemsPath"] = itemsPath,
        ["ItemSelector"] = new JsonObject { ["parameter.$"] = "$$.Map.Item.Value", ["modelPackageArn.$"] = "$.request.modelPackageArn" },
        ["ItemProcessor"] = new JsonObject
        {
            ["ProcessorConfig"] = new JsonObject { ["Mode"] = "INLINE" },
            ["StartAt"] = $"{prefix}IsModelPackage",
            ["States"] = new JsonObject
            {
                [$"{prefix}IsModelPackage"] = new JsonObject
                {
                    ["Type"] = "Choice",
                    ["Choices"] = new JsonArray(new JsonObject
                    {
                        ["And"] = new JsonArray(
                            new JsonObject { ["Variable"] = "$.parameter.ParameterKey", ["StringEquals"] = parameter },
                            new JsonObject { ["Variable"] = "$.parameter.ParameterValue", ["IsPresent"] = true }),
                        ["Next"] = $"{prefix}IsThisVersion",
                    }),
                    ["Default"] = $"{prefix}Other",
                },
                [$"{prefix}IsThisVersion"] = new JsonObject
                {
                    ["Type"] = "Choice",
                    ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.parameter.ParameterValue", ["StringEqualsPath"] = "$.modelPackageArn", ["Next"] = $"{prefix}ThisVersion" }),
                    ["Default"] = $"{prefix}Other",
                },
                [$"{prefix}ThisVersion"] = new JsonObject { ["Type"] = "Pass", ["Result"] = "this version", ["End"] = true },
                [$"{prefix}Other"] = new JsonObject { ["Type"] = "Pass", ["Result"] = "other", ["End"] = true },
            },
        },
        ["ResultSelector"] = new JsonObject { ["thisVersion.$"] = "States.ArrayContains($, 'this version')" },
        ["ResultPath"] = resultPath,
        ["Next"] = next,
    };

    // Which parameters get a new value (key, the processor state that writes it, where the value is in the item).
    private static IEnumerable<(string Key, string State, string Path)> NewValues(PromotionWorkflowParameters p) =>
        [(p.ModelPackageParameter, "NewModelPackage", "$.modelPackageArn")];

    private static JsonObject NewValue(string path) => new()
    {
        ["Type"] = "Pass",
        ["Parameters"] = new JsonObject { ["ParameterKey.$"] = "$.key", ["ParameterValue.$"] = path },
        ["End"] = true,
    };
}
