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
            // Firehose's data-transformation guide documents no concurrency for its invocations, only that a throttled one
            // is retried three times and then its batch skipped to the error output.
            Concurrency = FunctionConcurrency.None(
                "Firehose invokes the transform once per buffered batch at a concurrency AWS does not document; a reservation below it would throttle invocations, which Firehose retries three times and then writes the whole batch to the lake's error zone instead of the curated zone. The function draws on the account's unreserved pool; throttling that persists trips the transform's invocation-success alarm."),
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
