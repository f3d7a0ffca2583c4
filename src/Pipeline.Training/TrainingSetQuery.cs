using System.Globalization;
using System.Text;
using Pipeline.Schema;

namespace Pipeline.Training;

/// <summary>
/// Generates the Athena (engine version 3, Trino SQL) statements of a training run from the record schema's field
/// roles: a count of rows and positive labels, and the UNLOAD of the train and validation channels as CSV for
/// SageMaker's built-in XGBoost.
/// </summary>
/// <remarks>
/// <para>
/// Channel layout (built-in XGBoost CSV training input: label in the first column, no header record; content type
/// <c>text/csv</c> — https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost.html#InputOutput-XGBoost): the label as 0/1,
/// then the numeric features in schema order, then each categorical feature one-hot encoded, one 0/1 column per allowed
/// value in the order the schema lists them (a missing or unknown value is all zeros). Identifiers are never columns.
/// </para>
/// <para>
/// Missing numeric values are written as empty fields, not imputed: XGBoost learns a default branch for missing values
/// (https://xgboost.readthedocs.io/en/stable/faq.html#how-to-deal-with-missing-values), its CSV parser records an empty
/// field as missing, and the SageMaker XGBoost serving container reads an empty CSV field at inference as NaN (missing),
/// so training and inference treat a gap the same way. Imputing would invent a value the model cannot tell from a real one.
/// </para>
/// <para>
/// The split is deterministic: the record identity (the required identifiers, e.g. device and event time) is hashed with
/// <c>xxhash64</c>, read as a 64-bit integer (<c>from_big_endian_64</c>), its sign bit cleared (<c>bitwise_and</c>) and
/// taken modulo 10,000; buckets below <see cref="ValidationBuckets"/> are validation. The same record always lands in the
/// same channel, in every run (Trino binary and bitwise functions: https://trino.io/docs/current/functions/binary.html,
/// https://trino.io/docs/current/functions/bitwise.html; Athena engine version 3 is Trino-based).
/// </para>
/// <para>
/// Only validated values reach the SQL text: identifiers are quoted, names checked against Glue's rules, dates come
/// from <see cref="DateOnly"/> values, the S3 location must match a strict pattern, allowed values are quoted literals.
/// </para>
/// </remarks>
public sealed class TrainingSetQuery
{
    /// <summary>The number of hash buckets the validation fraction is applied to.</summary>
    public const int SplitBuckets = 10_000;

    /// <summary>The separator between identity fields in the hashed text.</summary>
    private const string IdentitySeparator = "|";

    private readonly string _from;
    private readonly string _partitionColumn;
    private readonly string _labelCount;
    private readonly string _selectList;
    private readonly string _identityHash;

    /// <summary>Prepares the statements for a schema whose fields declare roles.</summary>
    /// <param name="schema">The record schema (it must declare <see cref="FieldRole"/>s).</param>
    /// <param name="options">Database, table and validation fraction.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid or the schema declares no roles; the message says what to change.</exception>
    public TrainingSetQuery(RecordSchema schema, TrainingSetQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        if (!schema.HasTrainingRoles)
        {
            throw new ArgumentException(
                $"Schema '{schema.Name}' declares no ML roles; set FieldDefinition.Role on every field to generate a training query.",
                nameof(schema));
        }

        if (!SqlText.IsCatalogName(options.Database))
        {
            throw new ArgumentException(
                $"Database '{options.Database}' is not a usable Glue database name; use 1 to 255 lowercase letters, digits and underscores.",
                nameof(options));
        }

        var table = options.Table ?? schema.Name;
        if (!SqlText.IsCatalogName(table))
        {
            throw new ArgumentException(
                $"Table '{table}' is not a usable Glue table name; use 1 to 255 lowercase letters, digits and underscores.",
                nameof(options));
        }

        var fraction = options.ValidationFraction;
        var buckets = double.IsFinite(fraction) ? (int)Math.Round(fraction * SplitBuckets, MidpointRounding.AwayFromZero) : 0;
        if (!(fraction > 0 && fraction < 1) || buckets < 1 || buckets >= SplitBuckets)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"ValidationFraction {fraction} must be greater than 0 and less than 1, in steps of 1/{SplitBuckets} (e.g. 0.2)."),
                nameof(options));
        }

        Schema = schema;
        Database = options.Database;
        Table = table;
        ValidationFraction = fraction;
        ValidationBuckets = buckets;

        var roles = schema.TrainingRoles;
        LabelName = roles.Label.Name;
        var columns = new List<(string Name, string Expression)>
        {
            (LabelName, $"IF({SqlText.Identifier(LabelName)}, 1, 0)"),
        };
        foreach (var field in roles.NumericFeatures)
        {
            // Empty field = missing value, for training (XGBoost CSV parser) and inference (SageMaker container) alike.
            columns.Add((field.Name, $"coalesce(CAST({SqlText.Identifier(field.Name)} AS varchar), '')"));
        }

        foreach (var field in roles.CategoricalFeatures)
        {
            var values = field.AllowedValues!;
            for (var i = 0; i < values.Count; i++)
            {
                columns.Add((
                    OneHotName(field.Name, values[i], i),
                    $"IF({SqlText.Identifier(field.Name)} = {SqlText.Literal(values[i])}, 1, 0)"));
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in columns)
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException(
                    $"Schema '{schema.Name}': training column name '{name}' occurs twice (a one-hot column of a categorical " +
                    "feature repeats another column name); rename the field or the allowed value.",
                    nameof(schema));
            }
        }

        ColumnNames = Array.AsReadOnly(columns.Select(c => c.Name).ToArray());
        FeatureNames = Array.AsReadOnly(ColumnNames.Skip(1).ToArray());
        string SelectList(IEnumerable<(string Name, string Expression)> selected) => string.Join(
            ",\n",
            selected.Select(c => c.Expression == SqlText.Identifier(c.Name)
                ? "    " + c.Expression
                : $"    {c.Expression} AS {SqlText.Identifier(c.Name)}"));
        _selectList = SelectList(columns);
        _from = $"{SqlText.Identifier(Database)}.{SqlText.Identifier(Table)}";
        _partitionColumn = SqlText.Identifier(schema.PartitionKey);
        _labelCount = $"count_if({SqlText.Identifier(LabelName)})";

        var identity = roles.RecordIdentity.Select(f => f.Type == FieldType.String
            ? SqlText.Identifier(f.Name)
            : $"CAST({SqlText.Identifier(f.Name)} AS varchar)").ToArray();
        var text = identity.Length == 1
            ? identity[0]
            : $"concat_ws({SqlText.Literal(IdentitySeparator)}, {string.Join(", ", identity)})";
        _identityHash =
            $"bitwise_and(from_big_endian_64(xxhash64(to_utf8({text}))), 9223372036854775807) % {SplitBuckets.ToString(CultureInfo.InvariantCulture)}";
        RecordIdentityNames = Array.AsReadOnly(roles.RecordIdentity.Select(f => f.Name).ToArray());
    }

    /// <summary>The record schema the statements follow.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The Glue database.</summary>
    public string Database { get; }

    /// <summary>The table (by default the schema's name).</summary>
    public string Table { get; }

    /// <summary>The share of records in the validation channel.</summary>
    public double ValidationFraction { get; }

    /// <summary>How many of the <see cref="SplitBuckets"/> hash buckets are validation (e.g. 2,000 for 0.2).</summary>
    public int ValidationBuckets { get; }

    /// <summary>The label column (first in each channel file).</summary>
    public string LabelName { get; }

    /// <summary>
    /// The model's input columns in channel order, after the label: numeric features by name, then one-hot columns
    /// named <c>field_value</c> (the value lowercased when it is letters and digits, else its 1-based position). This is
    /// also the column order of a CSV inference request (which has no label column).
    /// </summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>All channel columns: <see cref="LabelName"/> followed by <see cref="FeatureNames"/>.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The fields whose values identify a record, hashed for the split.</summary>
    public IReadOnlyList<string> RecordIdentityNames { get; }

    /// <summary>
    /// A query returning one row with <c>rows</c> (records in the window) and <c>positives</c> (records whose label is
    /// true), both bigint.
    /// </summary>
    /// <param name="window">The event dates to count.</param>
    /// <returns>The SQL text.</returns>
    public string CountSql(DateWindow window) =>
        $"SELECT count(*) AS \"rows\", {_labelCount} AS \"positives\"\nFROM {_from}\nWHERE {WindowPredicate(window)}";

    /// <summary>
    /// An UNLOAD of one channel to an empty S3 folder, as uncompressed comma-separated text without a header.
    /// </summary>
    /// <param name="window">The event dates to export.</param>
    /// <param name="channel">Which channel (the other records go to the other channel).</param>
    /// <param name="s3Location">An empty folder, <c>s3://bucket/prefix/</c>; UNLOAD refuses a location that holds data.</param>
    /// <returns>The SQL text.</returns>
    /// <exception cref="ArgumentException"><paramref name="s3Location"/> is not a safe S3 folder URI, or the channel is undefined.</exception>
    public string UnloadSql(DateWindow window, TrainingChannel channel, string s3Location)
    {
        if (!SqlText.IsS3Folder(s3Location))
        {
            throw new ArgumentException(
                $"S3 location '{s3Location}' must be an S3 folder URI like s3://bucket/training/run-1/train/: a bucket name of " +
                "3 to 63 lowercase letters, digits, dots and hyphens, then one or more path segments of letters, digits and " +
                "_ . = - each followed by '/'.",
                nameof(s3Location));
        }

        var sql = new StringBuilder()
            .Append("UNLOAD (\nSELECT\n")
            .Append(_selectList)
            .Append('\n').Append(ChannelSource(window, channel))
            .Append("\n)\nTO ").Append(SqlText.Literal(s3Location))
            // TEXTFILE + ',' = CSV, no header (https://docs.aws.amazon.com/athena/latest/ug/unload.html). Uncompressed,
            // because the XGBoost container opens channel files as plain text (sagemaker-xgboost-container data_utils.py);
            // NONE is a text-file compression in engine version 3 (https://docs.aws.amazon.com/athena/latest/ug/compression-support-hive.html).
            .Append("\nWITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'NONE')");
        return sql.ToString();
    }

    /// <summary>
    /// The partition filter: the partition column is a string projected as a <c>yyyy-MM-dd</c> date (see the Glue
    /// table), so the bounds are string literals, which order like the dates they spell.
    /// </summary>
    private string WindowPredicate(DateWindow window) =>
        $"{_partitionColumn} BETWEEN {SqlText.Literal(window.FromText)} AND {SqlText.Literal(window.ToText)}";

    /// <summary>The <c>FROM … WHERE …</c> of one channel's records of the window.</summary>
    /// <exception cref="ArgumentException">The channel is undefined.</exception>
    internal string ChannelSource(DateWindow window, TrainingChannel channel)
    {
        var comparison = channel switch
        {
            TrainingChannel.Train => ">=",
            TrainingChannel.Validation => "<",
            _ => throw new ArgumentException($"Channel {(int)channel} is not a defined TrainingChannel.", nameof(channel)),
        };
        return $"FROM {_from}\nWHERE {WindowPredicate(window)}\n    AND {_identityHash} {comparison} {ValidationBuckets.ToString(CultureInfo.InvariantCulture)}";
    }

    internal static string OneHotName(string field, string value, int index) =>
        value.Length > 0 && value.All(char.IsAsciiLetterOrDigit)
            ? $"{field}_{value.ToLowerInvariant()}"
            : string.Create(CultureInfo.InvariantCulture, $"{field}_{index + 1}");
}
