using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Pipeline.Infra.Constructs.Operations;

/// <summary>
/// The one CloudWatch dashboard of the pipeline, laid out the way a record travels: the stream (records in, how far
/// the reader lags), the transform and Firehose (invocations, failures, freshness, bytes delivered to the lake), the
/// training and promotion runs, and the endpoint (requests, latency, errors, instances).
/// </summary>
public sealed class PipelineDashboard : Construct
{
    /// <summary>Width of one graph: four to a row on CloudWatch's 24-column grid.</summary>
    internal const int GraphWidth = 6;

    /// <summary>Creates the dashboard.</summary>
    public PipelineDashboard(Construct scope, string id, PipelineDashboardProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var fiveMinutes = Duration.Minutes(5);
        MetricOptions Sum(string label) => new() { Statistic = Stats.SUM, Period = fiveMinutes, Label = label };
        MetricOptions Max(string label) => new() { Statistic = Stats.MAXIMUM, Period = fiveMinutes, Label = label };
        MetricOptions Avg(string label) => new() { Statistic = Stats.AVERAGE, Period = fiveMinutes, Label = label };

        IMetric[] Runs(IStateMachine machine, string failed) =>
            [machine.MetricStarted(Sum("Started")), machine.MetricSucceeded(Sum("Succeeded")), machine.MetricFailed(Sum(failed)), machine.MetricTimedOut(Sum("Timed out"))];

        Dashboard = new Dashboard(this, "Resource", new DashboardProps
        {
            DefaultInterval = Duration.Days(1),
            PeriodOverride = PeriodOverride.AUTO,
        });
        Dashboard.AddWidgets(Heading("1 · Stream: records producers put, and how far behind Firehose reads them"));
        Dashboard.AddWidgets(
            Graph("Records in", [props.Stream.MetricIncomingRecords(Sum("IncomingRecords"))]),
            Graph("Reader lag (ms)", [props.Stream.MetricGetRecordsIteratorAgeMilliseconds(Max("GetRecords.IteratorAgeMilliseconds"))]),
            Graph("Writes throttled", [props.Stream.MetricWriteProvisionedThroughputExceeded(Sum("WriteProvisionedThroughputExceeded"))]));
        Dashboard.AddWidgets(Heading("2 · Transform and Firehose: records validated, converted to Parquet and delivered to the lake"));
        Dashboard.AddWidgets(
            Graph("Transform invocations and errors", [props.Transform.MetricInvocations(Sum("Invocations")), props.Transform.MetricErrors(Sum("Errors"))]),
            Graph("Transform and delivery success (0–1)", [props.Delivery.MetricExecuteProcessingSuccess(Avg("ExecuteProcessing.Success")), props.Delivery.MetricDeliveryToS3Success(Avg("DeliveryToS3.Success"))]),
            Graph("Freshness: oldest record not yet in the lake (s)", [props.Delivery.MetricDataFreshness(Max("DeliveryToS3.DataFreshness"))]),
            Graph("Bytes delivered to the lake", [props.Delivery.MetricDeliveryToS3Bytes(Sum("DeliveryToS3.Bytes"))]));
        Dashboard.AddWidgets(Heading("3 · Training and promotion: runs of the train and promote state machines"));
        Dashboard.AddWidgets(
            Graph("Training runs", Runs(props.Training, "Failed")),
            Graph("Promotions", Runs(props.Promotion, "Failed or refused")));
        Dashboard.AddWidgets(Heading("4 · Endpoint: requests the served model answers (empty while no model is served)"));
        var latency = Graph("Model latency (µs)",
            [props.Endpoint.MetricModelLatency(new MetricOptions { Statistic = "p50", Period = fiveMinutes, Label = "p50" }), props.Endpoint.MetricModelLatency(new MetricOptions { Statistic = "p99", Period = fiveMinutes, Label = "p99" })],
            new HorizontalAnnotation { Value = props.Endpoint.LatencyP99Ms * 1000, Label = "p99 alarm threshold" });
        Dashboard.AddWidgets(
            Graph("Requests", [props.Endpoint.MetricInvocations(Sum("Invocations"))]),
            latency,
            Graph("Errors", [props.Endpoint.MetricInvocation4xxErrors(Sum("4XX")), props.Endpoint.MetricInvocation5xxErrors(Sum("5XX"))]),
            Graph("Instances in service", [props.Endpoint.MetricInstances()]));
        Dashboard.AddWidgets(Heading("5 · Drift: how far the captured requests moved from the served model's training data (one point per judged window)"));
        var drift = props.Drift.Function;
        var window = Duration.Hours(drift.WindowHours);
        Dashboard.AddWidgets(
            Graph("Largest feature PSI",
                [props.Drift.MetricMaxPsi(new MetricOptions { Statistic = Stats.MAXIMUM, Period = window, Label = "MaxPsi" })],
                new HorizontalAnnotation { Value = drift.PsiWarn, Label = "warning", Color = "#ff7f0e" },
                new HorizontalAnnotation { Value = drift.PsiAlarm, Label = "alarm threshold", Color = "#d62728" }),
            Graph("Requests judged and schema violations",
                [props.Drift.MetricCapturedRequests(new MetricOptions { Statistic = Stats.SUM, Period = window, Label = "CapturedRequests" }),
                 props.Drift.MetricSchemaViolations(new MetricOptions { Statistic = Stats.SUM, Period = window, Label = "SchemaViolations" })]),
            Graph("Drift runs", Runs(props.Drift.StateMachine, "Failed")));
    }

    /// <summary>The dashboard.</summary>
    public Dashboard Dashboard { get; }

    private static TextWidget Heading(string text) => new(new TextWidgetProps { Markdown = "### " + text, Width = 24, Height = 1 });

    private static GraphWidget Graph(string title, IMetric[] metrics, params IHorizontalAnnotation[] annotations) => new(new GraphWidgetProps
    {
        Title = title,
        Left = metrics,
        LeftAnnotations = annotations.Length == 0 ? null : annotations,
        Width = GraphWidth,
        Height = 6,
    });
}
