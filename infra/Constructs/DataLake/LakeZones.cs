namespace Pipeline.Infra.Constructs.DataLake;

/// <summary>
/// The data lake's layout: one bucket, one prefix per zone. Prefixes let IAM grants, lifecycle rules and Glue tables
/// be scoped per zone while keeping one encryption, logging and access-control setup.
/// </summary>
public static class LakeZones
{
    /// <summary>Source records exactly as producers sent them (Firehose source-record backup, GZIP), kept for replay.</summary>
    public const string Raw = "raw/";

    /// <summary>Validated, normalised records as Parquet, partitioned by event date; the Glue table's location.</summary>
    public const string Curated = "curated/";

    /// <summary>Records Firehose could not process or convert, separated by error type.</summary>
    public const string Errors = "errors/";

    /// <summary>Training and validation splits written for SageMaker training.</summary>
    public const string Training = "training/";

    /// <summary>Model artifacts and checkpoints.</summary>
    public const string Models = "models/";

    /// <summary>Endpoint data capture (requests and responses).</summary>
    public const string DataCapture = "data-capture/";

    /// <summary>Athena query results.</summary>
    public const string AthenaResults = "athena-results/";

    /// <summary>Drift reports: <c>drift/&lt;endpoint&gt;/&lt;window end&gt;/report.json</c>.</summary>
    public const string Drift = "drift/";

    /// <summary>Every zone, in the order data flows through them.</summary>
    public static IReadOnlyList<string> All { get; } = [Raw, Curated, Errors, Training, Models, DataCapture, Drift, AthenaResults];
}
