using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Constructs;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>
/// The ingestion path's alarms, each notifying the project's alarm topic: the stream falling behind or throttling
/// producers, Firehose delivering late or failing to deliver or to transform, and the transform Lambda failing or
/// being throttled. Missing data (no traffic) is not an alarm.
/// </summary>
public sealed class IngestionAlarms : Construct
{
    private static readonly Duration Period = Duration.Minutes(5);

    /// <summary>Creates the alarms.</summary>
    public IngestionAlarms(Construct scope, string id, IngestionAlarmsProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var alarms = new List<Alarm>();

        // Oldest unread record older than the configured minutes (validated to be at most half the stream retention,
        // so there is time to act before records expire).
        alarms.Add(Create("StreamIteratorAge", props.Stream.MetricGetRecordsIteratorAgeMilliseconds(Options(Stats.MAXIMUM)),
            ComparisonOperator.GREATER_THAN_THRESHOLD, props.IteratorAgeMinutes * 60_000d, 1,
            $"Records wait more than {props.IteratorAgeMinutes} minutes in the stream: Firehose is falling behind."));

        // Producers are throttled in three consecutive 5-minute periods: capacity is too low, not a passing burst.
        alarms.Add(Create("StreamWriteThrottled", props.Stream.MetricWriteProvisionedThroughputExceeded(Options(Stats.SUM)),
            ComparisonOperator.GREATER_THAN_THRESHOLD, 0, 3,
            "Producers have been throttled for 15 minutes: raise the shard count (stream.recordsPerSecond) or switch to on-demand."));

        // A record is expected in S3 after the transform buffer plus 1.5 x the S3 buffer interval (dynamic partitioning
        // buffers in two stages); twice that means delivery is stuck.
        var freshnessSeconds = 2 * (props.Delivery.TransformBufferIntervalSeconds + (props.Delivery.BufferIntervalSeconds * 3 / 2));
        alarms.Add(Create("DeliveryFreshness", props.Delivery.MetricDataFreshness(Options(Stats.MAXIMUM)),
            ComparisonOperator.GREATER_THAN_THRESHOLD, freshnessSeconds, 1,
            $"The oldest record not yet in S3 is older than {freshnessSeconds} s (twice the expected buffering delay)."));

        // Firehose retries failed S3 writes; failures in two of three periods mean they are not transient.
        alarms.Add(Create("DeliverySuccess", props.Delivery.MetricDeliveryToS3Success(Options(Stats.MINIMUM)),
            ComparisonOperator.LESS_THAN_THRESHOLD, 1, 3,
            "Firehose fails to write to S3 (permissions, key policy or bucket) for 10 of the last 15 minutes.", datapointsToAlarm: 2));

        // Failed transform invocations are retried, then their batch goes to the error prefix: any persisting failure matters.
        alarms.Add(Create("TransformInvocationSuccess", props.Delivery.MetricExecuteProcessingSuccess(Options(Stats.MINIMUM)),
            ComparisonOperator.LESS_THAN_THRESHOLD, 1, 3,
            "Firehose cannot invoke the transform Lambda successfully; whole batches are going to the error prefix.", datapointsToAlarm: 2));

        // The function rethrows only what it cannot answer record by record (a malformed event): every error is news.
        alarms.Add(Create("TransformErrors", props.Transform.MetricErrors(Options(Stats.SUM)),
            ComparisonOperator.GREATER_THAN_THRESHOLD, 0, 1,
            "The transform Lambda threw: a whole batch failed and will be retried, then sent to the error prefix."));

        // No alarm of its own on the transform's throttles: a throttled invocation fails for Firehose, which retries it,
        // and throttling that persists trips TransformInvocationSuccess above (an alarm costs per metric per month).

        foreach (var alarm in alarms)
        {
            alarm.AddAlarmAction(props.Action);
        }

        Alarms = alarms;
    }

    /// <summary>Every alarm created.</summary>
    public IReadOnlyList<Alarm> Alarms { get; }

    private static MetricOptions Options(string statistic) => new() { Statistic = statistic, Period = Period };

    private Alarm Create(string id, IMetric metric, ComparisonOperator comparison, double threshold, int evaluationPeriods, string description,
        int? datapointsToAlarm = null) =>
        new(this, id, new AlarmProps
        {
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = comparison,
            EvaluationPeriods = evaluationPeriods,
            DatapointsToAlarm = datapointsToAlarm ?? evaluationPeriods,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = description,
        });
}
