using Constructs;
using Pipeline.Infra.Constructs.Functions;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>
/// The Firehose transform Lambda (<c>lambdas/Pipeline.Transform</c>): validates each record against the record
/// schema, normalises it for Parquet and returns its event-date partition key; records that fail go back as
/// <c>ProcessingFailed</c> and land in the error prefix. A <see cref="DotnetFunction"/> with 1 GiB of memory: a 6 MB
/// batch is decoded, validated and re-encoded in well under a second.
/// </summary>
public sealed class TransformFunction : DotnetFunction
{
    /// <summary>
    /// The handler: an executable assembly. For a handler without <c>::</c> the managed .NET runtime runs
    /// <c>dotnet exec /var/task/Pipeline.Transform.dll</c>, whose Main serves the Lambda Runtime API itself; a
    /// class-library handler would need Amazon.Lambda.Core in the package, which this project cannot obtain.
    /// </summary>
    public const string Handler = "Pipeline.Transform";

    /// <summary>Creates the function.</summary>
    public TransformFunction(Construct scope, string id, TransformFunctionProps props)
        : base(scope, id, FunctionProps(props))
    {
    }

    private static DotnetFunctionProps FunctionProps(TransformFunctionProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return new DotnetFunctionProps
        {
            Code = props.Code,
            Handler = Handler,
            Description = "Validates and normalises telemetry records for Firehose (Parquet, partitioned by event date).",
            Purpose = "Firehose transform Lambda",
            SynchronousInvocation =
                "Firehose invokes the function synchronously; failed invocations are retried by Firehose and then written to the lake's error prefix, so there is no asynchronous event to dead-letter.",
            Vpc = props.Vpc,
            Subnets = props.Subnets,
            LogsKey = props.LogsKey,
            LogRetentionDays = props.LogRetentionDays,
            LogRemovalPolicy = props.LogRemovalPolicy,
            MemorySizeMiB = props.MemorySizeMiB,
            Timeout = props.Timeout,
            Tracing = props.Tracing,
        };
    }
}
