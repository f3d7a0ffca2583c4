using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.Glue;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Schema;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>
/// The Glue table over the endpoint's data capture: SageMaker's capture record (JSON Lines, one request and its
/// response per line) under <c>data-capture/&lt;endpoint&gt;/&lt;variant&gt;/yyyy/MM/dd/HH/</c>, with partition
/// projection on the endpoint (injected: a query names it) and the hour, so Athena reads only the window a query asks
/// for and no crawler or partition upkeep is needed.
/// </summary>
public sealed class CaptureTable : Construct
{
    /// <summary>The table's name.</summary>
    public const string Name = "endpoint_capture";

    /// <summary>The partition column that names the endpoint; Athena requires an equality on it in every query.</summary>
    public const string EndpointColumn = DriftContract.CaptureEndpointColumn;

    /// <summary>
    /// The production variant whose captured requests the table reads: the one variant the pipeline's endpoint has, and
    /// the folder SageMaker writes its capture under.
    /// </summary>
    public const string VariantName = "AllTraffic";

    private readonly DataCatalog _catalog;
    private readonly DataLake.DataLake _lake;

    // One capture channel (CaptureDataConfig's input or output): content type, mode, payload, and its encoding (CSV, JSON or BASE64).
    private const string Channel = "struct<observedcontenttype:string,mode:string,data:string,encoding:string>";

    /// <summary>Creates the table in the catalog's database.</summary>
    public CaptureTable(Construct scope, string id, CaptureTableProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        _catalog = props.Catalog;
        _lake = props.Lake;
        var location = props.Lake.S3Url(LakeZones.DataCapture);
        var hour = DriftContract.CaptureHourColumn;
        TableName = Name;
        DatabaseName = props.Catalog.DatabaseName;
        Table = new CfnTable(this, "Table", new CfnTableProps
        {
            CatalogId = Arns.Account,
            DatabaseName = props.Catalog.DatabaseName,
            TableInput = new CfnTable.TableInputProperty
            {
                Name = Name,
                Description = "The endpoint's captured requests and responses (SageMaker data capture, JSON Lines), partitioned by endpoint and hour.",
                TableType = "EXTERNAL_TABLE",
                PartitionKeys = new[]
                {
                    new CfnTable.ColumnProperty { Name = EndpointColumn, Type = "string", Comment = "The endpoint's name (the Serving stack's output EndpointName)." },
                    new CfnTable.ColumnProperty { Name = hour, Type = "string", Comment = "UTC hour of the capture, yyyy/MM/dd/HH." },
                },
                Parameters = new Dictionary<string, object>
                {
                    ["classification"] = "json",
                    ["EXTERNAL"] = "TRUE",
                    // Partition projection: Athena computes partitions from these rules instead of the catalog.
                    ["projection.enabled"] = "true",
                    [$"projection.{EndpointColumn}.type"] = "injected",
                    [$"projection.{hour}.type"] = "date",
                    [$"projection.{hour}.format"] = DriftContract.CaptureHourFormat,
                    // From the schema's earliest event time, as the curated table's projection.
                    [$"projection.{hour}.range"] =
                        $"{props.Catalog.Schema.EarliestEventTime.UtcDateTime.ToString(DriftContract.CaptureHourFormat, CultureInfo.InvariantCulture)},NOW",
                    [$"projection.{hour}.interval"] = "1",
                    [$"projection.{hour}.interval.unit"] = "HOURS",
                    // SageMaker writes s3://<destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl.
                    ["storage.location.template"] = $"{location}${{{EndpointColumn}}}/{VariantName}/${{{hour}}}/",
                },
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Location = location,
                    InputFormat = "org.apache.hadoop.mapred.TextInputFormat",
                    OutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    SerdeInfo = new CfnTable.SerdeInfoProperty
                    {
                        SerializationLibrary = "org.openx.data.jsonserde.JsonSerDe",
                        // The record's keys are camelCase; Hive column names are lowercase.
                        Parameters = new Dictionary<string, object> { ["case.insensitive"] = "true" },
                    },
                    Columns = new[]
                    {
                        new CfnTable.ColumnProperty { Name = "capturedata", Type = $"struct<endpointinput:{Channel},endpointoutput:{Channel}>" },
                        new CfnTable.ColumnProperty { Name = "eventmetadata", Type = "struct<eventid:string,inferencetime:string>" },
                        new CfnTable.ColumnProperty { Name = "eventversion", Type = "string" },
                    },
                },
            },
        });
        Table.AddDependency(props.Catalog.Database);
    }

    /// <summary>The table.</summary>
    public CfnTable Table { get; }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The database the table is in.</summary>
    public string DatabaseName { get; }

    /// <summary>The table's ARN.</summary>
    public string TableArn => Arns.Format("glue", "table", $"{DatabaseName}/{TableName}");

    /// <summary>
    /// Lets <paramref name="grantee"/> query the table with Athena: read its definition (through an encrypted Data
    /// Catalog too) and the captured objects. Partitions are projected, so no partition is read from the catalog.
    /// </summary>
    public Grant GrantQuery(IGrantable grantee)
    {
        _catalog.GrantMetadataKey(grantee, write: false);
        return Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = grantee,
            Actions = [.. DataCatalog.SchemaReadActions, "glue:GetDatabase", "glue:GetPartitions"],
            ResourceArns = [_catalog.CatalogArn, _catalog.DatabaseArn, TableArn],
        }).Combine(_lake.GrantRead(grantee, LakeZones.DataCapture));
    }
}
