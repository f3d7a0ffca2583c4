using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Pipeline.Infra.Constructs.Functions;

namespace Pipeline.Infra.Constructs.Workflows;

/// <summary>
/// What every function a state machine of this app invokes synchronously (to plan, decide or judge) is given: its code,
/// the lake it works in, where it runs and logs, and its concurrency. Each such function's own props add what it works on.
/// </summary>
public abstract record WorkflowFunctionProps
{
    /// <summary>
    /// The lake the function reads and writes (its bucket is the function's <c>LAKE_BUCKET</c>); each function's
    /// construct grants only the zones it uses.
    /// </summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The function's code (see <see cref="DotnetFunctionCode"/>).</summary>
    public required Code Code { get; init; }

    /// <summary>The VPC whose isolated subnets the function runs in.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets to place the function in.</summary>
    public required SubnetSelection Subnets { get; init; }

    /// <summary>Key for the function's log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>Traces the function to X-Ray (the VPC needs an X-Ray interface endpoint for it).</summary>
    /// <value>Default: true.</value>
    public bool Tracing { get; init; } = true;

    /// <summary>Concurrent executions reserved for the function, 0 for none.</summary>
    /// <value>Default: 0: none reserved, and Step Functions retries a throttled invocation.</value>
    public int ReservedConcurrency { get; init; }

    /// <summary>
    /// The <see cref="DotnetFunctionProps"/> of a function the state machine named <paramref name="workflow"/> invokes:
    /// it reaches S3 (the lake) and writes only under the zones <paramref name="wildcards"/> names. Its environment is
    /// <c>LAKE_BUCKET</c> followed by <paramref name="environment"/>.
    /// </summary>
    internal DotnetFunctionProps ToFunctionProps(string workflow, string handler, string description, string purpose, PolicyWildcards wildcards,
        IEnumerable<KeyValuePair<string, string>> environment) => new()
    {
        PolicyWildcards = wildcards,
        Code = Code,
        Handler = handler,
        Description = description,
        Purpose = purpose,
        SynchronousInvocation =
            $"The {workflow} state machine invokes the function synchronously and retries transient failures; a failed invocation fails the run, which is reported to the alarm topic, so there is no asynchronous event to dead-letter.",
        Concurrency = FunctionConcurrency.ForWorkflow(ReservedConcurrency),
        Vpc = Vpc,
        Subnets = Subnets,
        LogsKey = LogsKey,
        LogRetentionDays = LogRetentionDays,
        LogRemovalPolicy = LogRemovalPolicy,
        ReachesS3 = true,
        Tracing = Tracing,
        Environment = new Dictionary<string, string>([new("LAKE_BUCKET", Lake.Bucket.BucketName), .. environment]),
    };

    /// <summary>A number as the functions parse it from their environment (invariant culture, round-trippable).</summary>
    internal static string EnvironmentValue(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc cref="EnvironmentValue(double)"/>
    internal static string EnvironmentValue(int value) => value.ToString(CultureInfo.InvariantCulture);
}
