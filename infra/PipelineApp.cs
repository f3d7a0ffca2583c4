using Amazon.CDK;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Stacks;

namespace Pipeline.Infra;

/// <summary>The stacks of the app, composed from one validated configuration. Used by Program.cs and by the tests.</summary>
public sealed class PipelineApp
{
    private PipelineApp(SecurityBaselineStack securityBaseline, DataLakeStack dataLake, IngestionStack ingestion, TrainingStack training, ServingStack serving, OperationsStack operations)
    {
        SecurityBaseline = securityBaseline;
        DataLake = dataLake;
        Ingestion = ingestion;
        Training = training;
        Serving = serving;
        Operations = operations;
    }

    /// <summary>Keys, network and alarm topic.</summary>
    public SecurityBaselineStack SecurityBaseline { get; }

    /// <summary>Stream, lake, catalog and query workgroup.</summary>
    public DataLakeStack DataLake { get; }

    /// <summary>Transform Lambda, Firehose delivery stream and ingestion alarms.</summary>
    public IngestionStack Ingestion { get; }

    /// <summary>Training Lambdas, SageMaker training role and the "train" state machine.</summary>
    public TrainingStack Training { get; }

    /// <summary>The SageMaker endpoint for the model package given as a parameter.</summary>
    public ServingStack Serving { get; }

    /// <summary>The dashboard that follows a record from the stream to the endpoint.</summary>
    public OperationsStack Operations { get; }

    /// <summary>Every stack of the app, in deployment order.</summary>
    public IReadOnlyList<Stack> Stacks => [SecurityBaseline, DataLake, Ingestion, Training, Serving, Operations];

    /// <summary>Adds the pipeline's stacks to <paramref name="app"/>.</summary>
    /// <param name="app">The CDK app.</param>
    /// <param name="settings">The validated configuration.</param>
    /// <param name="sourceRoot">Repository root, where Lambda projects are built from.</param>
    public static PipelineApp Compose(App app, PipelineSettings settings, string sourceRoot)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        var profile = PipelineSettingsLoader.NameOf(settings.Profile);
        var names = ResourceNames.For(settings);

        // Environment-agnostic on purpose: synth needs no account, and one template deploys to any sandbox.
        var securityBaseline = new SecurityBaselineStack(app, "SecurityBaseline", new SecurityBaselineStackProps
        {
            Settings = settings,
            StackName = names.Stack("security-baseline"),
            Description = $"Streaming ML pipeline ({profile}): KMS keys, isolated VPC with endpoints and flow logs, alarm topic.",
            TerminationProtection = settings.RetainData,
        });

        var dataLake = new DataLakeStack(app, "DataLake", new DataLakeStackProps
        {
            Settings = settings,
            Keys = securityBaseline.Keys,
            StackName = names.Stack("data-lake"),
            Description = $"Streaming ML pipeline ({profile}): Kinesis stream, S3 data lake, Glue catalog, Athena workgroup, model registry.",
            TerminationProtection = settings.RetainData,
        });

        var ingestion = new IngestionStack(app, "Ingestion", new IngestionStackProps
        {
            Settings = settings,
            SourceRoot = sourceRoot,
            Keys = securityBaseline.Keys,
            Network = securityBaseline.Network,
            AlarmTopic = securityBaseline.Alarms,
            Stream = dataLake.Stream,
            Lake = dataLake.Lake,
            Catalog = dataLake.Catalog,
            StackName = names.Stack("ingestion"),
            Description = $"Streaming ML pipeline ({profile}): C# transform Lambda, Firehose to the lake (Parquet, partitioned), alarms.",
        });

        var training = new TrainingStack(app, "Training", new TrainingStackProps
        {
            Settings = settings,
            SourceRoot = sourceRoot,
            Keys = securityBaseline.Keys,
            Network = securityBaseline.Network,
            AlarmTopic = securityBaseline.Alarms,
            Lake = dataLake.Lake,
            Catalog = dataLake.Catalog,
            Registry = dataLake.Models,
            StackName = names.Stack("training"),
            Description = $"Streaming ML pipeline ({profile}): training Lambdas and the train state machine (Athena, SageMaker XGBoost, gate, registry).",
        });

        var serving = new ServingStack(app, "Serving", new ServingStackProps
        {
            Settings = settings,
            Keys = securityBaseline.Keys,
            Network = securityBaseline.Network,
            AlarmTopic = securityBaseline.Alarms,
            Lake = dataLake.Lake,
            Capture = dataLake.Capture,
            SourceRoot = sourceRoot,
            Registry = dataLake.Models,
            StackName = names.Stack("serving"),
            Description = $"Streaming ML pipeline ({profile}): SageMaker endpoint for the model package given as ModelPackageArn (none when empty), and its promotion on approval.",
        });

        var operations = new OperationsStack(app, "Operations", new OperationsStackProps
        {
            Settings = settings,
            DataLake = dataLake,
            Ingestion = ingestion,
            Training = training,
            Serving = serving,
            StackName = names.Stack("operations"),
            Description = $"Streaming ML pipeline ({profile}): the dashboard that follows a record from the stream to the endpoint.",
        });

        // CDK 2.160's own provider functions default to a Node.js runtime Lambda no longer creates; grants' policies
        // become customer managed. Applied to the composed tree once rather than as aspects: an aspect written in C# is
        // a callback from the jsii kernel for every construct, which cost the synth most of a second (measured).
        IAspect[] rewrites = [new ProviderNodeRuntime(), new CustomerManagedPolicies()];
        foreach (var node in app.Node.FindAll())
        {
            foreach (var rewrite in rewrites)
            {
                rewrite.Visit(node);
            }
        }

        Tags.Of(app).Add("project", settings.Prefix);
        Tags.Of(app).Add("profile", profile);
        return new PipelineApp(securityBaseline, dataLake, ingestion, training, serving, operations);
    }
}
