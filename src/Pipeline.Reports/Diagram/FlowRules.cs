namespace Pipeline.Reports.Diagram;

/// <summary>
/// How one reference between two resource types is drawn. A reference says only that the referrer uses the target
/// (Firehose's role reads the stream, the table's location names the bucket); which way data moves is known per type pair,
/// so it is written down here once rather than guessed from who names whom.
/// </summary>
/// <param name="Referrer">Type of the resource that holds the reference (or whose role is granted access).</param>
/// <param name="Target">Type referenced; <see cref="FlowRules.Zone"/> for a prefix of a bucket, <c>*</c> for any.</param>
/// <param name="Access">Only references with this access (role grants); null for any.</param>
/// <param name="Downstream">True when data moves from the referrer to the target, false when it moves the other way.</param>
/// <param name="Layer">Where the edge is drawn.</param>
/// <param name="Label">The edge's label.</param>
/// <param name="Constraint">False when the edge must not pull its ends onto different ranks (it closes a loop of the flow).</param>
internal sealed record FlowRule(string Referrer, string Target, Access? Access, bool Downstream, DiagramLayer Layer, string Label, bool Constraint = true);

/// <summary>The type-pair rules of the diagram.</summary>
internal static class FlowRules
{
    public const string Stream = "AWS::Kinesis::Stream";
    public const string Firehose = "AWS::KinesisFirehose::DeliveryStream";
    public const string Bucket = "AWS::S3::Bucket";
    public const string Table = "AWS::Glue::Table";
    public const string StateMachine = "AWS::StepFunctions::StateMachine";
    public const string ModelPackageGroup = "AWS::SageMaker::ModelPackageGroup";
    public const string Endpoint = "AWS::SageMaker::Endpoint";
    public const string Function = "AWS::Lambda::Function";
    public const string Key = "AWS::KMS::Key";
    public const string Vpc = "AWS::EC2::VPC";
    public const string Topic = "AWS::SNS::Topic";
    public const string Alarm = "AWS::CloudWatch::Alarm";
    public const string Rule = "AWS::Events::Rule";

    /// <summary>The pseudo type of a bucket's top-level prefix (a lake zone).</summary>
    public const string Zone = "AWS::S3::Bucket/zone";

    /// <summary>The rules, first match wins (so a write grant decides before a read grant of the same pair).</summary>
    public static readonly IReadOnlyList<FlowRule> All =
    [
        // The spine: records from the stream through Firehose into the lake, the catalog over it, training, serving, drift.
        new(Firehose, Stream, null, Downstream: false, DiagramLayer.Flow, string.Empty),
        new(Firehose, Zone, null, Downstream: true, DiagramLayer.Flow, string.Empty),
        // Firehose reads the table's schema to write Parquet; drawn towards the table as the catalog entry it fills, without
        // ranking the table beside Firehose (the table sits after the zone it describes).
        new(Firehose, Table, null, Downstream: true, DiagramLayer.Flow, "Parquet schema", Constraint: false),
        new(Table, Zone, null, Downstream: false, DiagramLayer.Flow, string.Empty),
        new(StateMachine, Table, Access.Read, Downstream: false, DiagramLayer.Flow, "Athena queries"),
        new(StateMachine, ModelPackageGroup, Access.Write, Downstream: true, DiagramLayer.Flow, "registers model package"),
        new(StateMachine, ModelPackageGroup, Access.Read, Downstream: false, DiagramLayer.Flow, "reads model package"),
        new(StateMachine, Endpoint, Access.Write, Downstream: true, DiagramLayer.Flow, "deploys (stack update)"),
        // The endpoint's configuration names the capture prefix; its role's reads (model artifacts) are not the flow.
        new(Endpoint, Zone, Access.Named, Downstream: true, DiagramLayer.Flow, "data capture"),

        // Attached: the helpers a spine resource calls.
        new(Firehose, Function, null, Downstream: true, DiagramLayer.Attached, "transform"),
        new(StateMachine, Function, null, Downstream: true, DiagramLayer.Attached, "invokes"),
        new(StateMachine, "AWS::Athena::WorkGroup", null, Downstream: true, DiagramLayer.Attached, "workgroup"),
        new("AWS::Glue::Crawler", Zone, null, Downstream: false, DiagramLayer.Attached, "crawls"),
        new("AWS::SSM::Parameter", Endpoint, null, Downstream: false, DiagramLayer.Attached, "name for clients"),

        // Quiet: keys, network, notifications (the dashboard reads every metric and would only add noise).
        new(StateMachine, Topic, null, Downstream: true, DiagramLayer.Quiet, "notifies"),
        new("*", Key, Access.Named, Downstream: true, DiagramLayer.Quiet, "KMS"),
        new("*", Vpc, null, Downstream: true, DiagramLayer.Quiet, "VPC"),
        new(Bucket, Bucket, Access.Named, Downstream: true, DiagramLayer.Quiet, "access logs"),
    ];

    /// <summary>The rule for a reference, or null when the pair is not drawn.</summary>
    public static FlowRule? Find(string referrer, string target, IReadOnlySet<Access> accesses) =>
        All.FirstOrDefault(r => (r.Referrer == referrer || r.Referrer == "*") && (r.Target == target || r.Target == "*")
            && (r.Access is null || accesses.Contains(r.Access.Value)));
}
