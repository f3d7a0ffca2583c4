using Amazon.CDK;
using Amazon.CDK.AWS.SSM;
using Constructs;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Constructs.Query;
using Pipeline.Infra.Constructs.SageMaker;
using Pipeline.Infra.Constructs.Serving;
using Pipeline.Infra.Sizing;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The serving stack: a SageMaker endpoint for the model package given as the <c>ModelPackageArn</c> parameter. CloudFormation
/// owns the endpoint, so the template and the account never drift: serving another model is a stack update with a new
/// parameter value. Every serving resource exists only when the parameter is set, so the stack deploys (empty) before any
/// model is registered; its outputs say whether an endpoint is up. An approval in the model registry starts the promote
/// state machine here, which updates this stack's parameter through CloudFormation.
/// </summary>
public sealed class ServingStack : Stack
{
    /// <summary>The parameter that names the model package to serve.</summary>
    public const string ModelPackageParameter = "ModelPackageArn";

    /// <summary>Folder of the drift Lambda project, relative to the repository root.</summary>
    public const string DriftProject = "lambdas/Pipeline.Drift";

    /// <summary>The parameter that attaches (enabled) or detaches (disabled) auto scaling.</summary>
    public const string AutoScalingParameter = "AutoScaling";

    /// <summary>Creates the stack.</summary>
    public ServingStack(Construct scope, string id, ServingStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var names = ResourceNames.For(settings);

        var modelPackage = new Amazon.CDK.CfnParameter(this, ModelPackageParameter, new Amazon.CDK.CfnParameterProps
        {
            Type = "String",
            Default = string.Empty,
            AllowedPattern = "^$|^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/[a-zA-Z0-9-]+/[0-9]+$",
            ConstraintDescription = "an approved model package version ARN of the pipeline's model package group, or empty for no endpoint",
            Description = "The model package version the endpoint serves; empty: no endpoint.",
        });
        var hasModel = new CfnCondition(this, "HasModel", new CfnConditionProps
        {
            Expression = Fn.ConditionNot(Fn.ConditionEquals(modelPackage.ValueAsString, string.Empty)),
        });

        // SageMaker refuses to change the instance type of a variant registered for auto scaling ("Update endpoints that
        // use auto scaling"): such a change is deployed with AutoScaling=disabled, then scaling is enabled again.
        var autoScaling = new Amazon.CDK.CfnParameter(this, AutoScalingParameter, new Amazon.CDK.CfnParameterProps
        {
            Type = "String",
            Default = "enabled",
            AllowedValues = ["enabled", "disabled"],
            Description = "Auto scaling of the endpoint; disable it for the deployment that changes endpoint.instanceType, then enable it again.",
        });
        var scales = new CfnCondition(this, "ScalesAutomatically", new CfnConditionProps
        {
            Expression = Fn.ConditionAnd(hasModel, Fn.ConditionEquals(autoScaling.ValueAsString, "enabled")),
        });

        var removal = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        var endpoint = settings.Endpoint;
        EndpointName = names.Stack("endpoint");
        Endpoint = new ModelEndpoint(this, "Endpoint", new ModelEndpointProps
        {
            ModelPackageArn = modelPackage.ValueAsString,
            Condition = hasModel,
            ScalingCondition = scales,
            EndpointName = EndpointName,
            InstanceType = endpoint.InstanceType,
            MinInstances = endpoint.MinInstances,
            MaxInstances = endpoint.MaxInstances,
            TargetInvocationsPerInstance = endpoint.TargetInvocationsPerInstance,
            ScaleInCooldownSeconds = endpoint.ScaleInCooldownSeconds,
            ScaleOutCooldownSeconds = endpoint.ScaleOutCooldownSeconds,
            CanaryPercent = endpoint.CanaryPercent,
            CanaryWaitMinutes = endpoint.CanaryWaitMinutes,
            TerminationWaitMinutes = endpoint.TerminationWaitMinutes,
            MaximumExecutionTimeoutMinutes = endpoint.MaximumExecutionTimeoutMinutes,
            EncryptVolume = endpoint.EncryptVolume,
            DataCapturePercent = endpoint.DataCapturePercent,
            LatencyP99Ms = settings.Alarms.EndpointLatencyP99Ms,
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
            Lake = props.Lake,
            ModelsKey = props.Keys.Models,
            Image = AlgorithmImage.Xgboost(this, "Xgboost"),
            AlarmAction = props.AlarmTopic.Action,
        });

        Promotion = new ModelPromotion(this, "Promote", new ModelPromotionProps
        {
            Registry = props.Registry,
            ModelPackageParameter = modelPackage,
            AlarmTopic = props.AlarmTopic,
            EncryptionKey = props.Keys.Models,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = removal,
        });
        var drift = settings.Drift;
        var driftFunction = new DriftFunction(this, "DriftFunction", new DriftFunctionProps
        {
            Code = DotnetFunctionCode.FromProject(props.SourceRoot, DriftProject),
            Lake = props.Lake,
            Capture = props.Capture,
            Endpoint = Endpoint,
            WindowHours = drift.WindowHours,
            PsiWarn = drift.PsiWarn,
            PsiAlarm = drift.PsiAlarm,
            MinimumRows = drift.MinimumRows,
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = removal,
            Tracing = settings.Network.Tracing,
            ReservedConcurrency = settings.Functions.ReservedConcurrency,
        });
        var driftScan = DriftScan.BytesPerQuery(endpoint.MaxInstances, endpoint.MaxRpsPerInstance, endpoint.DataCapturePercent, drift.WindowHours);
        var driftQueries = new QueryWorkgroup(this, "DriftQueries", new QueryWorkgroupProps
        {
            Name = names.DriftWorkgroup(ResourceNames.UniqueSuffix(this)),
            Lake = props.Lake,
            BytesScannedCutoff = driftScan,
            RemovalPolicy = removal,
        });
        Drift = new DriftMonitor(this, "Drift", new DriftMonitorProps
        {
            ServedModelPackageArn = modelPackage.ValueAsString,
            Serving = hasModel,
            Function = driftFunction,
            Registry = props.Registry,
            Lake = props.Lake,
            Capture = props.Capture,
            Schedule = string.Equals(drift.Schedule, "disabled", StringComparison.Ordinal) ? null : drift.Schedule,
            TimeoutMinutes = PipelineSettingsLoader.DriftRunTimeoutMinutes,
            Workgroup = driftQueries,
            ScanBytesPerQuery = driftScan,
            AlarmTopic = props.AlarmTopic,
            EncryptionKey = props.Keys.Models,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = removal,
        });
        _ = new CfnOutput(this, "DriftStateMachineArn", new CfnOutputProps
        {
            Value = Drift.StateMachine.StateMachineArn,
            Description = "Judge a window of captured requests by hand: aws stepfunctions start-execution --state-machine-arn <this> [--input '{\"windowEnd\":\"yyyy-MM-ddTHH:00:00Z\"}']",
        });

        _ = new CfnOutput(this, "PromoteStateMachineArn", new CfnOutputProps
        {
            Value = Promotion.StateMachine.StateMachineArn,
            Description = "Serve a model version by hand (a rollback): aws stepfunctions start-execution --state-machine-arn <this> --input '{\"modelPackageArn\":\"<version ARN>\",\"allowOlder\":true}'",
        });

        // Unconditional, so the stack never has zero resources (the name is fixed whether or not a model is served).
        _ = new StringParameter(this, "EndpointNameParameter", new StringParameterProps
        {
            Description = "Name of the pipeline's SageMaker endpoint, for clients (the endpoint exists while the serving stack's output Serving names a model package).",
            StringValue = EndpointName,
        });

        var endpointOutput = new CfnOutput(this, "EndpointName", new CfnOutputProps
        {
            Value = EndpointName,
            Description = "The SageMaker endpoint clients invoke (aws sagemaker-runtime invoke-endpoint --endpoint-name <this>).",
        });
        endpointOutput.Condition = hasModel;
        _ = new CfnOutput(this, "Serving", new CfnOutputProps
        {
            Value = Fn.ConditionIf(hasModel.LogicalId, modelPackage.ValueAsString, "none: update the stack with ModelPackageArn=<approved model package version ARN>").ToString()!,
            Description = "The model package the endpoint serves, or how to bring the endpoint up.",
        });
    }

    /// <summary>The endpoint's name.</summary>
    public string EndpointName { get; }

    /// <summary>The endpoint and what it needs (created only with a model package).</summary>
    public ModelEndpoint Endpoint { get; }

    /// <summary>The approval rule and the "promote" state machine that updates this stack.</summary>
    public ModelPromotion Promotion { get; }

    /// <summary>The "drift" state machine, its function's schedule and its alarms.</summary>
    public DriftMonitor Drift { get; }
}
