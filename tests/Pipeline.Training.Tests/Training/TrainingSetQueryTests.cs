using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Training;

public class TrainingSetQueryTests
{
    private static readonly DateWindow Window = new(new DateOnly(2026, 10, 30), new DateOnly(2026, 11, 28));

    private const string TelemetrySelect =
        "SELECT\n" +
        "    IF(\"machine_failure\", 1, 0) AS \"machine_failure\",\n" +
        "    coalesce(CAST(\"air_temperature_k\" AS varchar), '') AS \"air_temperature_k\",\n" +
        "    coalesce(CAST(\"process_temperature_k\" AS varchar), '') AS \"process_temperature_k\",\n" +
        "    coalesce(CAST(\"rotational_speed_rpm\" AS varchar), '') AS \"rotational_speed_rpm\",\n" +
        "    coalesce(CAST(\"torque_nm\" AS varchar), '') AS \"torque_nm\",\n" +
        "    coalesce(CAST(\"tool_wear_min\" AS varchar), '') AS \"tool_wear_min\",\n" +
        "    coalesce(CAST(\"vibration_mm_s\" AS varchar), '') AS \"vibration_mm_s\",\n" +
        "    IF(\"product_quality\" = 'L', 1, 0) AS \"product_quality_l\",\n" +
        "    IF(\"product_quality\" = 'M', 1, 0) AS \"product_quality_m\",\n" +
        "    IF(\"product_quality\" = 'H', 1, 0) AS \"product_quality_h\"\n";

    private const string TelemetryHash =
        "bitwise_and(from_big_endian_64(xxhash64(to_utf8(concat_ws('|', \"device_id\", CAST(\"event_time\" AS varchar))))), 9223372036854775807) % 10000";

    private static TrainingSetQuery Create(double fraction = 0.2, string database = "pipeline", string? table = null, RecordSchema? schema = null) =>
        new(schema ?? TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = database, Table = table, ValidationFraction = fraction });

    [Fact]
    public void CountSql_TelemetrySchema_CountsRowsAndPositivesInPartitionWindow()
    {
        Assert.Equal(
            "SELECT count(*) AS \"rows\", count_if(\"machine_failure\") AS \"positives\"\n" +
            "FROM \"pipeline\".\"telemetry\"\n" +
            "WHERE \"event_date\" BETWEEN '2026-10-30' AND '2026-11-28'",
            Create().CountSql(Window));
    }

    [Fact]
    public void UnloadSql_ValidationChannel_IsExactCsvUnloadOfLowBuckets()
    {
        var sql = Create().UnloadSql(Window, TrainingChannel.Validation, "s3://lake-bucket/training/run-1/validation/");

        Assert.Equal(
            "UNLOAD (\n" + TelemetrySelect +
            "FROM \"pipeline\".\"telemetry\"\n" +
            "WHERE \"event_date\" BETWEEN '2026-10-30' AND '2026-11-28'\n" +
            "    AND " + TelemetryHash + " < 2000\n" +
            ")\n" +
            "TO 's3://lake-bucket/training/run-1/validation/'\n" +
            "WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'NONE')",
            sql);
    }

    [Fact]
    public void UnloadSql_TrainChannel_IsExactCsvUnloadOfRemainingBuckets()
    {
        var sql = Create(0.25).UnloadSql(Window, TrainingChannel.Train, "s3://lake-bucket/training/run-1/train/");

        Assert.Equal(
            "UNLOAD (\n" + TelemetrySelect +
            "FROM \"pipeline\".\"telemetry\"\n" +
            "WHERE \"event_date\" BETWEEN '2026-10-30' AND '2026-11-28'\n" +
            "    AND " + TelemetryHash + " >= 2500\n" +
            ")\n" +
            "TO 's3://lake-bucket/training/run-1/train/'\n" +
            "WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'NONE')",
            sql);
    }

    [Fact]
    public void FeatureNames_TelemetrySchema_AreNumericThenOneHotWithoutIdentifiersOrLabel()
    {
        var query = Create();

        Assert.Equal(
            [
                "air_temperature_k", "process_temperature_k", "rotational_speed_rpm", "torque_nm", "tool_wear_min",
                "vibration_mm_s", "product_quality_l", "product_quality_m", "product_quality_h",
            ],
            query.FeatureNames);
        Assert.Equal("machine_failure", query.LabelName);
        Assert.Equal(["machine_failure", .. query.FeatureNames], query.ColumnNames);
        Assert.Equal(["device_id", "event_time"], query.RecordIdentityNames);
        Assert.Equal(2000, query.ValidationBuckets);
    }

    [Fact]
    public void UnloadSql_SameInputs_IsDeterministic()
    {
        Assert.Equal(
            Create().UnloadSql(Window, TrainingChannel.Train, "s3://lake-bucket/a/"),
            Create().UnloadSql(Window, TrainingChannel.Train, "s3://lake-bucket/a/"));
    }

    [Fact]
    public void FeatureNames_SchemaWithAddedNumericAndCategoricalFields_AddsTheirColumnsInOrder()
    {
        var telemetry = TelemetySchemaCopy(
            new FieldDefinition
            {
                Name = "humidity_pct", Type = FieldType.Double, Description = "Relative humidity.", Unit = "%",
                Role = FieldRole.NumericFeature,
            },
            new FieldDefinition
            {
                Name = "shift", Type = FieldType.String, Description = "Work shift.", AllowedValues = ["early", "late", "night-1"],
                Role = FieldRole.CategoricalFeature,
            });
        var query = Create(schema: telemetry);

        Assert.Equal(
            [
                "air_temperature_k", "process_temperature_k", "rotational_speed_rpm", "torque_nm", "tool_wear_min",
                "vibration_mm_s", "humidity_pct", "product_quality_l", "product_quality_m", "product_quality_h",
                "shift_early", "shift_late", "shift_3",
            ],
            query.FeatureNames);
        var sql = query.UnloadSql(Window, TrainingChannel.Train, "s3://lake-bucket/t/");
        Assert.Contains(
            "    coalesce(CAST(\"vibration_mm_s\" AS varchar), '') AS \"vibration_mm_s\",\n" +
            "    coalesce(CAST(\"humidity_pct\" AS varchar), '') AS \"humidity_pct\",\n" +
            "    IF(\"product_quality\" = 'L', 1, 0) AS \"product_quality_l\",\n",
            sql,
            StringComparison.Ordinal);
        Assert.Contains(
            "    IF(\"product_quality\" = 'H', 1, 0) AS \"product_quality_h\",\n" +
            "    IF(\"shift\" = 'early', 1, 0) AS \"shift_early\",\n" +
            "    IF(\"shift\" = 'late', 1, 0) AS \"shift_late\",\n" +
            "    IF(\"shift\" = 'night-1', 1, 0) AS \"shift_3\"\n" +
            "FROM",
            sql,
            StringComparison.Ordinal);
    }

    [Fact]
    public void UnloadSql_AllowedValueWithQuote_IsEscapedLiteral()
    {
        var schema = TelemetySchemaCopy(new FieldDefinition
        {
            Name = "grade", Type = FieldType.String, Description = "Grade.", AllowedValues = ["a'b"], Role = FieldRole.CategoricalFeature,
        });

        var sql = Create(schema: schema).UnloadSql(Window, TrainingChannel.Train, "s3://lake-bucket/t/");

        Assert.Contains("    IF(\"grade\" = 'a''b', 1, 0) AS \"grade_1\"\n", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void UnloadSql_OtherSchema_UsesItsTablePartitionKeyAndIdentity()
    {
        var schema = new RecordSchema(
            "reading",
            [
                new FieldDefinition { Name = "id", Type = FieldType.String, Required = true, Description = "Id.", Role = FieldRole.Identifier },
                new FieldDefinition { Name = "at", Type = FieldType.Timestamp, Description = "Seen.", Required = true, Role = FieldRole.Identifier },
                new FieldDefinition { Name = "level", Type = FieldType.Long, Description = "Level.", Role = FieldRole.NumericFeature },
                new FieldDefinition { Name = "bad", Type = FieldType.Boolean, Required = true, Description = "Label.", Role = FieldRole.Label },
            ],
            "at",
            "bad",
            TelemetrySchema.EarliestEventTime,
            TimeSpan.Zero,
            partitionKey: "dt");

        var query = Create(schema: schema, table: "readings");

        Assert.Equal(
            "UNLOAD (\nSELECT\n" +
            "    IF(\"bad\", 1, 0) AS \"bad\",\n" +
            "    coalesce(CAST(\"level\" AS varchar), '') AS \"level\"\n" +
            "FROM \"pipeline\".\"readings\"\n" +
            "WHERE \"dt\" BETWEEN '2026-10-30' AND '2026-11-28'\n" +
            "    AND bitwise_and(from_big_endian_64(xxhash64(to_utf8(concat_ws('|', \"id\", CAST(\"at\" AS varchar))))), 9223372036854775807) % 10000 < 2000\n" +
            ")\nTO 's3://lake-bucket/r/'\nWITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'NONE')",
            query.UnloadSql(Window, TrainingChannel.Validation, "s3://lake-bucket/r/"));
    }

    public static TheoryData<string, Func<TrainingSetQuery>, string, string[]> BadOptions => new()
    {
        { "database with hyphen", () => Create(database: "my-db"), "options", ["Database", "'my-db'"] },
        { "database with quote", () => Create(database: "db\";drop"), "options", ["Database", "'db\";drop'"] },
        { "empty database", () => Create(database: ""), "options", ["Database", "''"] },
        { "uppercase table", () => Create(table: "Telemetry"), "options", ["Table", "'Telemetry'"] },
        { "fraction zero", () => Create(0), "options", ["ValidationFraction 0"] },
        { "fraction one", () => Create(1), "options", ["ValidationFraction 1"] },
        { "fraction NaN", () => Create(double.NaN), "options", ["ValidationFraction NaN"] },
        { "fraction below one bucket", () => Create(0.00001), "options", ["ValidationFraction 1E-05", "1/10000"] },
        { "schema without roles", () => Create(schema: NoRoles()), "schema", ["'plain'", "FieldDefinition.Role"] },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_BadOption_ThrowsNamingTheOptionAndItsValue(string problem, Func<TrainingSetQuery> create, string parameter, string[] named)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(create);

        Assert.True(
            ex.ParamName == parameter && named.All(part => ex.Message.Contains(part, StringComparison.Ordinal)),
            $"{problem}: {ex.ParamName}: {ex.Message}");
    }

    [Theory]
    [InlineData("s3://lake-bucket/training/run/train")]
    [InlineData("s3://lake-bucket/")]
    [InlineData("s3://Lake-Bucket/train/")]
    [InlineData("s3://lake-bucket/train//")]
    [InlineData("s3://lake-bucket/../train/")]
    [InlineData("s3://lake-bucket/tr'ain/")]
    [InlineData("s3://lake-bucket/train/' ) --/")]
    [InlineData("https://lake-bucket/train/")]
    [InlineData("s3://ab/train/")]
    [InlineData("s3://lake..bucket/train/")]
    [InlineData("")]
    public void UnloadSql_UnsafeS3Location_ThrowsWithWhatToChange(string location)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create().UnloadSql(Window, TrainingChannel.Train, location));

        Assert.Equal("s3Location", ex.ParamName);
        Messages.AssertNames(ex.Message, $"'{location}'");
    }

    [Fact]
    public void UnloadSql_UndefinedChannel_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create().UnloadSql(Window, (TrainingChannel)7, "s3://lake-bucket/t/"));

        Assert.Equal("channel", ex.ParamName);
        Messages.AssertNames(ex.Message, "7");
    }

    [Fact]
    public void Constructor_OneHotNameCollision_ThrowsNamingColumn()
    {
        var schema = TelemetySchemaCopy(
            new FieldDefinition { Name = "product_quality_l", Type = FieldType.Double, Description = "Clash.", Role = FieldRole.NumericFeature });

        var ex = Assert.Throws<ArgumentException>(() => Create(schema: schema));

        Messages.AssertNames(ex.Message, "'telemetry'", "'product_quality_l'");
    }

    [Fact]
    public void DateWindow_FromAfterTo_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DateWindow(new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 1)));

        Assert.Equal("from", ex.ParamName);
        Messages.AssertNames(ex.Message, "2026-11-02", "2026-11-01");
    }

    private static RecordSchema TelemetySchemaCopy(params FieldDefinition[] extra)
    {
        var schema = TelemetrySchema.Definition;
        return new RecordSchema(
            schema.Name,
            [.. schema.Fields, .. extra],
            schema.EventTimeField.Name,
            schema.LabelField.Name,
            schema.EarliestEventTime,
            schema.MaxFutureSkew,
            schema.PartitionKey);
    }

    private static RecordSchema NoRoles() => new(
        "plain",
        [
            new FieldDefinition { Name = "ts", Type = FieldType.Timestamp, Required = true, Description = "Time." },
            new FieldDefinition { Name = "label", Type = FieldType.Boolean, Required = true, Description = "Label." },
        ],
        "ts",
        "label",
        TelemetrySchema.EarliestEventTime,
        TimeSpan.Zero);
}
