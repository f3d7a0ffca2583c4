using System.Globalization;
using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class RecordSchemaTests
{
    private static readonly DateTimeOffset Earliest = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FieldDefinition Id => new()
    {
        Name = "id", Type = FieldType.String, Required = true, Description = "Identifier.", MaxLength = 8,
    };

    private static FieldDefinition Time => new()
    {
        Name = "ts", Type = FieldType.Timestamp, Required = true, Description = "Event time.",
    };

    private static FieldDefinition Label => new()
    {
        Name = "label", Type = FieldType.Boolean, Required = true, Description = "Label.",
    };

    private static RecordSchema Create(
        IEnumerable<FieldDefinition>? fields = null,
        string name = "sample",
        string eventTime = "ts",
        string label = "label",
        TimeSpan? skew = null,
        string partitionKey = RecordSchema.DefaultPartitionKey) =>
        new(name, fields ?? [Id, Time, Label], eventTime, label, Earliest, skew ?? TimeSpan.FromMinutes(5), partitionKey);

    private static RecordSchema WithExtra(FieldDefinition extra) => Create([Id, Time, Label, extra]);

    private static FieldDefinition Number(FieldType type = FieldType.Double) =>
        new() { Name = "value", Type = type, Description = "A value." };

    private static FieldDefinition Text() => new() { Name = "text", Type = FieldType.String, Description = "Text." };

    [Fact]
    public void Constructor_ValidDefinition_ExposesDefinition()
    {
        var schema = Create(skew: TimeSpan.FromMinutes(7));

        Assert.Equal("sample", schema.Name);
        Assert.Equal(["id", "ts", "label"], schema.Fields.Select(f => f.Name));
        Assert.Equal("ts", schema.EventTimeField.Name);
        Assert.Equal("label", schema.LabelField.Name);
        Assert.Equal("event_date", schema.PartitionKey);
        Assert.Equal(Earliest, schema.EarliestEventTime);
        Assert.Equal(TimeSpan.FromMinutes(7), schema.MaxFutureSkew);
        Assert.Equal("sample (id, ts, label)", schema.ToString());
    }

    [Fact]
    public void Constructor_LongLabelAndCustomPartitionKey_IsAccepted()
    {
        var label = Label with { Type = FieldType.Long, Minimum = 0, Maximum = 3 };

        var schema = Create([Id, Time, label], partitionKey: "dt");

        Assert.Equal(FieldType.Long, schema.LabelField.Type);
        Assert.Equal("dt", schema.PartitionKey);
    }

    [Fact]
    public void Constructor_EarliestEventTimeWithOffset_IsNormalisedToUtc()
    {
        var schema = new RecordSchema(
            "sample", [Id, Time, Label], "ts", "label", new DateTimeOffset(2020, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)), TimeSpan.Zero);

        Assert.Equal(TimeSpan.Zero, schema.EarliestEventTime.Offset);
        Assert.Equal(Earliest, schema.EarliestEventTime);
    }

    [Fact]
    public void Constructor_FieldListChangedAfterwards_DoesNotChangeSchema()
    {
        var fields = new List<FieldDefinition> { Id, Time, Label };
        var schema = Create(fields);

        fields.Add(Text());

        Assert.Equal(3, schema.Fields.Count);
    }

    public static TheoryData<string, Func<RecordSchema>, string, string[]> BadDefinitions => new()
    {
        { "schema name not snake_case", () => Create(name: "Sample"), "name", ["'Sample'"] },
        { "schema name empty", () => Create(name: ""), "name", ["''"] },
        { "no fields", () => Create([]), "fields", ["'sample'"] },
        { "null field", () => Create([Id, null!, Time, Label]), "fields", ["'sample'", "field 1"] },
        { "duplicate name", () => WithExtra(Text() with { Name = "id" }), "fields", ["'id'"] },
        { "camelCase name", () => WithExtra(Text() with { Name = "deviceId" }), "fields", ["Field 3", "'deviceId'"] },
        { "name starting with digit", () => WithExtra(Text() with { Name = "1st" }), "fields", ["'1st'"] },
        { "name too long", () => WithExtra(Text() with { Name = new string('a', 256) }), "fields", [$"'{new string('a', 256)}'"] },
        { "undefined type", () => WithExtra(Text() with { Type = (FieldType)99 }), "fields", ["'text'", "99"] },
        { "empty description", () => WithExtra(Text() with { Description = " " }), "fields", ["'text'", "Description", "has 1"] },
        { "long description", () => WithExtra(Text() with { Description = new string('d', 256) }), "fields", ["'text'", "has 256"] },
        { "unit on string", () => WithExtra(Text() with { Unit = "K" }), "fields", ["'text'", "Unit", "String"] },
        { "blank unit", () => WithExtra(Number() with { Unit = "" }), "fields", ["'value'", "Unit"] },
        { "minimum on string", () => WithExtra(Text() with { Minimum = 0 }), "fields", ["'text'", "Minimum", "String"] },
        { "maximum on boolean", () => WithExtra(Number(FieldType.Boolean) with { Maximum = 1 }), "fields", ["'value'", "Maximum", "Boolean"] },
        { "max length on double", () => WithExtra(Number() with { MaxLength = 3 }), "fields", ["'value'", "MaxLength", "Double"] },
        { "min length on long", () => WithExtra(Number(FieldType.Long) with { MinLength = 3 }), "fields", ["'value'", "MinLength", "Long"] },
        { "pattern on timestamp", () => WithExtra(Number(FieldType.Timestamp) with { Pattern = "^a$" }), "fields", ["'value'", "Pattern", "Timestamp"] },
        { "allowed values on long", () => WithExtra(Number(FieldType.Long) with { AllowedValues = ["1"] }), "fields", ["'value'", "AllowedValues", "Long"] },
        { "minimum above maximum", () => WithExtra(Number() with { Minimum = 10, Maximum = 5.5 }), "fields", ["'value'", "Minimum 10", "Maximum 5.5"] },
        { "NaN minimum", () => WithExtra(Number() with { Minimum = double.NaN }), "fields", ["'value'", "Minimum", "NaN"] },
        { "infinite maximum", () => WithExtra(Number() with { Maximum = double.PositiveInfinity }), "fields", ["'value'", "Maximum", "Infinity"] },
        { "long without whole number in range", () => WithExtra(Number(FieldType.Long) with { Minimum = 0.25, Maximum = 0.75 }), "fields", ["'value'", "0.25", "0.75"] },
        { "negative min length", () => WithExtra(Text() with { MinLength = -1 }), "fields", ["'text'", "(-1)"] },
        { "min length above max length", () => WithExtra(Text() with { MinLength = 5, MaxLength = 4 }), "fields", ["'text'", "(5)", "(4)"] },
        { "empty allowed values", () => WithExtra(Text() with { AllowedValues = [] }), "fields", ["'text'", "AllowedValues"] },
        { "null allowed value", () => WithExtra(Text() with { AllowedValues = ["a", null!] }), "fields", ["'text'", "allowed value 1"] },
        { "duplicate allowed value", () => WithExtra(Text() with { AllowedValues = ["a", "b", "a"] }), "fields", ["'text'", "'a'"] },
        { "allowed value too long", () => WithExtra(Text() with { AllowedValues = ["ab", "abc"], MaxLength = 2 }), "fields", ["'text'", "'abc'", "at most 2"] },
        { "allowed value not matching pattern", () => WithExtra(Text() with { AllowedValues = ["A", "b"], Pattern = "^[A-Z]$" }), "fields", ["'text'", "'b'", "'^[A-Z]$'"] },
        { "allowed value with lone surrogate", () => WithExtra(Text() with { AllowedValues = ["\ud800"] }), "fields", ["'text'", "allowed value 0"] },
        { "event-time field missing", () => Create(eventTime: "time"), "eventTimeFieldName", ["'sample'", "'time'"] },
        { "event-time field not a timestamp", () => Create(eventTime: "id"), "eventTimeFieldName", ["'id'", "String"] },
        { "event-time field optional", () => Create([Id, Time with { Required = false }, Label]), "eventTimeFieldName", ["'ts'", "optional"] },
        { "label field missing", () => Create(label: "failed"), "labelFieldName", ["'failed'"] },
        { "label field a double", () => Create([Id, Time, Label with { Type = FieldType.Double }]), "labelFieldName", ["'label'", "Double"] },
        { "label field optional", () => Create([Id, Time, Label with { Required = false }]), "labelFieldName", ["'label'", "optional"] },
        { "partition key not snake_case", () => Create(partitionKey: "event-date"), "partitionKey", ["'event-date'"] },
        { "partition key is a field", () => Create(partitionKey: "id"), "partitionKey", ["'id'"] },
        { "negative skew", () => Create(skew: TimeSpan.FromSeconds(-1)), "maxFutureSkew", ["-00:00:01"] },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public void Constructor_InconsistentDefinition_ThrowsNamingTheParameterAndWhatIsWrong(string problem, Func<RecordSchema> create, string parameter, string[] names)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(create);

        Assert.True(parameter == ex.ParamName, $"{problem}: parameter {ex.ParamName}");
        Assert.All(names, name => Assert.True(ex.Message.Contains(name, StringComparison.Ordinal), $"{problem}: {ex.Message} does not name {name}"));
    }

    [Fact]
    public void Constructor_MinimumAboveMaximum_MessageIsFieldThenProblemThenParameter()
    {
        // The one exact rendering of a definition error.
        var ex = Assert.Throws<ArgumentException>(() => WithExtra(Number() with { Minimum = 10, Maximum = 5.5 }));

        Assert.Equal("Field 'value': Minimum 10 is greater than Maximum 5.5. (Parameter 'fields')", ex.Message);
    }

    [Fact]
    public void Constructor_NegativeSkew_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(skew: TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void Constructor_InvalidPattern_ThrowsNamingFieldAndPattern()
    {
        var ex = Assert.Throws<ArgumentException>(() => WithExtra(Text() with { Pattern = "(unclosed" }));

        Assert.StartsWith("Field 'text': Pattern '(unclosed' is not a valid regular expression: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal("fields", ex.ParamName);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public void Constructor_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new RecordSchema(null!, [Id], "ts", "label", Earliest, TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => new RecordSchema("s", null!, "ts", "label", Earliest, TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => new RecordSchema("s", [Id], null!, "label", Earliest, TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => new RecordSchema("s", [Id], "ts", null!, Earliest, TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => new RecordSchema("s", [Id], "ts", "label", Earliest, TimeSpan.Zero, null!));
    }

    [Fact]
    public void FindField_KnownAndUnknownNames_ReturnsFieldOrNull()
    {
        var schema = Create();

        Assert.Same(schema.Fields[1], schema.FindField("ts"));
        Assert.Null(schema.FindField("TS"));
        Assert.Null(schema.FindField("missing"));
        Assert.Equal(2, schema.IndexOf("label"));
        Assert.Equal(-1, schema.IndexOf("Label"));
    }

    [Theory]
    [InlineData("2026-11-21T23:30:00-02:00", "2026-11-22")]
    [InlineData("2026-11-22T00:30:00+01:00", "2026-11-21")]
    [InlineData("2026-11-21T00:00:00Z", "2026-11-21")]
    [InlineData("2026-11-21T23:59:59.9999999Z", "2026-11-21")]
    [InlineData("2028-02-29T12:00:00+14:00", "2028-02-28")]
    [InlineData("2020-01-01T00:00:00Z", "2020-01-01")]
    public void PartitionValue_EventTimeWithOffset_IsUtcDate(string eventTime, string expected)
    {
        var schema = Create();
        var time = DateTimeOffset.Parse(eventTime, CultureInfo.InvariantCulture);

        Assert.Equal(expected, schema.PartitionValue(time));

        Span<byte> utf8 = stackalloc byte[16];
        Assert.True(schema.TryFormatPartitionValue(time, utf8, out var written));
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(utf8[..written]));
    }

    [Fact]
    public void TryFormatPartitionValue_DestinationTooSmall_ReturnsFalse()
    {
        Span<byte> utf8 = stackalloc byte[9];

        Assert.False(Create().TryFormatPartitionValue(Earliest, utf8, out _));
    }

    [Fact]
    public void LatestEventTime_NowPlusSkew_IsUtcAndSaturates()
    {
        var schema = Create(skew: TimeSpan.FromMinutes(15));
        var now = new DateTimeOffset(2026, 11, 21, 14, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 15, 0, TimeSpan.Zero), schema.LatestEventTime(now));
        Assert.Equal(TimeSpan.Zero, schema.LatestEventTime(now).Offset);
        Assert.Equal(DateTimeOffset.MaxValue, schema.LatestEventTime(DateTimeOffset.MaxValue.AddMinutes(-1)));
    }
}
