using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.SSM;
using Constructs;
using Pipeline.Infra.Sizing;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Constructs.Query;
using Pipeline.Infra.Constructs.Serving;
using Pipeline.Infra.Constructs.Training;

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

        EndpointName = names.Stack("endpoint");
        Endpoint = new ModelEndpoint(this, "Endpoint", new ModelEndpointProps
        {
            ModelPackageArn = modelPackage.ValueAsString,
            Condition = hasModel,
            ScalingCondition = scales,
            EndpointName = EndpointName,
            Settings = settings.Endpoint,
            LatencyP99Ms = settings.Alarms.EndpointLatencyP99Ms,
            Vpc = props.Network.Vpc,
            Subnets = props.Network.Vpc.SelectSubnets(props.Network.IsolatedSubnets).Subnets,
            Lake = props.Lake,
            ModelsKey = props.Keys.Models,
            Image = AlgorithmImage.Xgboost(this, "Xgboost"),
            AlarmAction = props.AlarmTopic.Action,
        });

        Promotion = new ModelPromotion(this, "Promote", new ModelPromotionProps
        {
            Registry = props.Registry,
            ModelPackageParameter = modelPackage,
            AlarmAction = props.AlarmTopic.Action,
            AlarmTopic = props.AlarmTopic.Topic,
            NotificationsKey = props.Keys.Notifications,
            EncryptionKey = props.Keys.Models,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });
        var drift = settings.Drift;
        var driftFunction = new DotnetFunction(this, "DriftFunction", new DotnetFunctionProps
        {
            PolicyWildcards = new PolicyWildcards(
                "The function reads each run's baseline beside its model and writes each window's report, whose keys carry the run id and the window's end, so object access needs the zone prefix wildcard.",
                "regex:/^Resource::.*\\/(models|drift)\\/\\*$/"),
            Code = DotnetFunctionCode.FromProject(props.SourceRoot, DriftProject, TrainingStack.FunctionDependencies),
            Handler = "Pipeline.Drift",
            Description = "Plans a drift window's Athena statement from the served model's baseline and judges the window (PSI, schema violations).",
            Purpose = "Drift Lambda",
            SynchronousInvocation =
                "The drift state machine invokes the function synchronously and retries transient failures; a failed invocation fails the run, which is reported to the alarm topic, so there is no asynchronous event to dead-letter.",
            Concurrency = FunctionConcurrency.ForWorkflow(settings.Functions.ReservedConcurrency),
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
            ReachesS3 = true,
            Tracing = settings.Network.Tracing,
            Environment = new Dictionary<string, string>
            {
                ["LAKE_BUCKET"] = props.Lake.Bucket.BucketName,
                ["GLUE_DATABASE"] = props.Capture.DatabaseName,
                ["CAPTURE_TABLE"] = props.Capture.TableName,
                ["ENDPOINT_NAME"] = EndpointName,
                ["WINDOW_HOURS"] = drift.WindowHours.ToString(CultureInfo.InvariantCulture),
                ["PSI_WARN"] = drift.PsiWarn.ToString("R", CultureInfo.InvariantCulture),
                ["PSI_ALARM"] = drift.PsiAlarm.ToString("R", CultureInfo.InvariantCulture),
                ["MINIMUM_ROWS"] = drift.MinimumRows.ToString(CultureInfo.InvariantCulture),
            },
        });
        var driftScan = DriftScan.BytesPerQuery(settings.Endpoint.MaxInstances, settings.Endpoint.MaxRpsPerInstance, settings.Endpoint.DataCapturePercent, drift.WindowHours);
        var driftQueries = new QueryWorkgroup(this, "DriftQueries", new QueryWorkgroupProps
        {
            Name = names.DriftWorkgroup(ResourceNames.UniqueSuffix(this)),
            Lake = props.Lake,
            BytesScannedCutoff = driftScan,
            RemovalPolicy = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });
        Drift = new DriftMonitor(this, "Drift", new DriftMonitorProps
        {
            ServedModelPackageArn = modelPackage.ValueAsString,
            Serving = hasModel,
            EndpointName = EndpointName,
            Registry = props.Registry,
            Lake = props.Lake,
            Capture = props.Capture,
            Settings = drift,
            Function = driftFunction,
            Workgroup = driftQueries,
            ScanBytesPerQuery = driftScan,
            AlarmAction = props.AlarmTopic.Action,
            AlarmTopic = props.AlarmTopic.Topic,
            NotificationsKey = props.Keys.Notifications,
            EncryptionKey = props.Keys.Models,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
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
