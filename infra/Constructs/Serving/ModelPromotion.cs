using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.Workflows;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>
/// Promotion of approved models: an EventBridge rule on the model package group's approvals starts the "promote" state
/// machine (<see cref="PromotionWorkflow"/>), which serves the version by updating this construct's own stack through
/// CloudFormation (same template, new <c>ModelPackageArn</c>, every other parameter kept) as the CDK bootstrap's
/// CloudFormation execution role. The role may update only this stack, pass only that role, only to CloudFormation.
/// </summary>
public sealed class ModelPromotion : EncryptedStateMachine
{
    /// <summary>The event SageMaker sends when a model package changes (SageMaker developer guide, "Model package state change").</summary>
    internal const string PackageStateChange = "SageMaker Model Package State Change";

    /// <summary>The context key that names the CDK bootstrap qualifier the default synthesizer uses.</summary>
    internal const string BootstrapQualifierContext = "@aws-cdk/core:bootstrapQualifier";

    private static readonly string[] Approved = ["Approved"];

    private static readonly string[] Completed = ["Completed"];

    /// <summary>Creates the state machine, its role, its log group and the approval rule.</summary>
    /// <exception cref="InvalidOperationException">The stack's synthesizer has no CloudFormation execution role.</exception>
    public ModelPromotion(Construct scope, string id, ModelPromotionProps props)
        : base(scope, id, Machine(scope, props))
    {
        var stack = Stack.Of(this);
        var cloudFormationRole = ExecutionRoleArn(stack);
        props.Registry.GrantRead(Role);
        Allow(["cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks"], stack.StackId);
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = Role,
            Actions = ["cloudformation:UpdateStack"],
            ResourceArns = [stack.StackId],
            // Updates only as the bootstrap's role, the one `cdk deploy` uses for this stack.
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["cloudformation:RoleArn"] = cloudFormationRole },
            },
        });
        // UpdateStack resolves the stack's SSM-typed parameters (the synthesizer's BootstrapVersion) with the caller's
        // credentials, UsePreviousValue or not, as the bootstrap's own deploy role may (CloudFormation user guide,
        // "Specify existing resources at runtime with CloudFormation-supplied parameter types").
        Allow(["ssm:GetParameters"], BootstrapVersionParameterArn(stack));

        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = Role,
            Actions = ["iam:PassRole"],
            ResourceArns = [cloudFormationRole],
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "cloudformation.amazonaws.com" },
            },
        });
        props.AlarmTopic.GrantPublish(Role);
        Suppressions.Nag(DefaultPolicy, new NagSuppression("AwsSolutions-IAM5",
            "Wildcards only where AWS supports nothing narrower: CloudWatch Logs delivery and X-Ray (Resource *), sagemaker:ListModelPackages (no resource scoping), and DescribeModelPackage on the versions of the pipeline's own group, whose version numbers are assigned at registration.",
            "Resource::*", "regex:/^Resource::.*:model-package\\/.*\\/\\*$/"));

        ApprovalRule = new Rule(this, "ApprovalRule", new RuleProps
        {
            Description = "Starts the promote state machine when a version of the pipeline's model package group is approved and complete.",
            EventPattern = new EventPattern
            {
                Source = ["aws.sagemaker"],
                DetailType = [PackageStateChange],
                Detail = new Dictionary<string, object>
                {
                    ["ModelPackageGroupName"] = new[] { props.Registry.GroupName },
                    ["ModelApprovalStatus"] = Approved,
                    ["ModelPackageStatus"] = Completed,
                },
            },
            Targets =
            [
                StartTarget(this, "ApprovalRole", "EventBridge: start the promote state machine when a model version is approved.",
                    RuleTargetInput.FromObject(new Dictionary<string, object> { ["modelPackageArn"] = EventField.FromPath("$.detail.ModelPackageArn") })),
            ],
        });
        Suppressions.Nag((CfnResource)ApprovalRule.Node.DefaultChild!, new NagSuppression("Serverless-EventBusDLQ",
            "An approval EventBridge cannot deliver after its retries is not lost: the version stays approved in the registry, the rule's failed invocations are alarmed, and starting the promote state machine with the version's ARN (README, Serving) serves it."));

        // A promotion that waits too long for the stack fails (with the reason) rather than timing out, so one alarm covers both.
        AlarmOnFailed(this, "Failed", props.AlarmTopic.Action,
            "A promotion failed or was refused: the model package is not the newest approved version, the serving stack was busy, the stack update failed and rolled back, or it was still running when the promotion stopped waiting (the reason is on the alarm topic).");
        AnyInPeriod(this, "ApprovalsUndelivered", new Metric(new MetricProps
        {
            Namespace = "AWS/Events",
            MetricName = "FailedInvocations",
            DimensionsMap = new Dictionary<string, string> { ["RuleName"] = ApprovalRule.RuleName },
            Period = Duration.Minutes(5),
            Statistic = Stats.SUM,
        }), "EventBridge could not start the promote state machine for an approved model version: start it by hand with the version's ARN.", props.AlarmTopic.Action);
    }

    /// <summary>The rule that starts a promotion on each approval.</summary>
    public Rule ApprovalRule { get; }

    /// <summary>
    /// The CloudFormation execution role of the stack's synthesizer (the CDK bootstrap's, for the qualifier the app uses), as
    /// a deploy-time ARN: the synthesizer's placeholders (<c>${AWS::AccountId}</c>, <c>${AWS::Region}</c>,
    /// <c>${AWS::Partition}</c>) are CloudFormation's pseudo parameters, so <c>Fn::Sub</c> resolves them.
    /// </summary>
    internal static string ExecutionRoleArn(Stack stack)
    {
        if (stack.Synthesizer is not DefaultStackSynthesizer synthesizer)
        {
            throw new InvalidOperationException(
                $"Stack {stack.Node.Path} uses {stack.Synthesizer.GetType().Name}, which has no CloudFormation execution role for the promote state machine to update the stack with: use DefaultStackSynthesizer (the CDK default), with the bootstrap qualifier in the context key {BootstrapQualifierContext} if the account was bootstrapped with another one.");
        }

        try
        {
            return Fn.Sub(synthesizer.CloudFormationExecutionRoleArn);
        }
        catch (Exception error) when (error.Message.Contains("bound to a Stack", StringComparison.Ordinal))
        {
            // A synthesizer created in C# reaches jsii as the unbound original of the copy each stack binds.
            throw new InvalidOperationException(
                $"Stack {stack.Node.Path} was given a DefaultStackSynthesizer created in C#, whose CloudFormation execution role the CDK does not expose to C#: leave the stack's synthesizer unset and choose the bootstrap with the context key {BootstrapQualifierContext}.",
                error);
        }
    }

    /// <summary>
    /// The ARN of the SSM parameter behind the synthesizer's <c>BootstrapVersion</c> template parameter:
    /// <c>/cdk-bootstrap/&lt;qualifier&gt;/version</c> (the default synthesizer's <c>bootstrapStackVersionSsmParameter</c>).
    /// </summary>
    internal static string BootstrapVersionParameterArn(Stack stack)
    {
        // The same synthesizer checks as the execution role's, with the same messages.
        _ = ExecutionRoleArn(stack);
        var qualifier = ((DefaultStackSynthesizer)stack.Synthesizer).BootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
        // A parameter ARN joins "parameter" and a name that starts with a slash without doubling it.
        return Arns.Format("ssm", "parameter", $"cdk-bootstrap/{qualifier}/version");
    }

    private static EncryptedStateMachineProps Machine(Construct scope, ModelPromotionProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Stack.Of(scope);
        return new EncryptedStateMachineProps
        {
            Definition = PromotionWorkflow.ToJson(new PromotionWorkflowParameters
            {
                ModelPackageGroupName = props.Registry.GroupName,
                StackId = stack.StackId,
                ModelPackageParameter = props.ModelPackageParameter.LogicalId,
                Capabilities = ["CAPABILITY_IAM"],
                CloudFormationRoleArn = ExecutionRoleArn(stack),
                AlarmTopicArn = props.AlarmTopic.Topic.TopicArn,
                PollSeconds = (int)(props.PollInterval ?? Duration.Minutes(1)).ToSeconds(),
                MaxPolls = (int)((props.Timeout ?? Duration.Hours(3)).ToSeconds() / (props.PollInterval ?? Duration.Minutes(1)).ToSeconds()),
            }),
            Comment = "Serve an approved model package by updating the serving stack through CloudFormation.",
            RoleDescription = "Promote state machine: read the registry, update the serving stack as the CDK bootstrap's CloudFormation role, notify.",
            EncryptionKey = props.EncryptionKey,
            LogsKey = props.LogsKey,
            LogRetentionDays = props.LogRetentionDays,
            LogRemovalPolicy = props.LogRemovalPolicy,
        };
    }
}
