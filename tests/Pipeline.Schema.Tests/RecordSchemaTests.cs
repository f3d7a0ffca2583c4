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

    public static TheoryData<string, Func<RecordSchema>, string> BadDefinitions => new()
    {
        { "schema name not snake_case", () => Create(name: "Sample"), "Schema name 'Sample' must be snake_case (^[a-z][a-z0-9_]*$, at most 255 characters). (Parameter 'name')" },
        { "schema name empty", () => Create(name: ""), "Schema name '' must be snake_case (^[a-z][a-z0-9_]*$, at most 255 characters). (Parameter 'name')" },
        { "no fields", () => Create([]), "Schema 'sample' needs at least one field. (Parameter 'fields')" },
        { "null field", () => Create([Id, null!, Time, Label]), "Schema 'sample': field 1 is null. (Parameter 'fields')" },
        { "duplicate name", () => WithExtra(Text() with { Name = "id" }), "Schema 'sample': field name 'id' is defined more than once; names must be unique. (Parameter 'fields')" },
        { "camelCase name", () => WithExtra(Text() with { Name = "deviceId" }), "Field 3 name 'deviceId' must be snake_case (^[a-z][a-z0-9_]*$, at most 255 characters). (Parameter 'fields')" },
        { "name starting with digit", () => WithExtra(Text() with { Name = "1st" }), "Field 3 name '1st' must be snake_case (^[a-z][a-z0-9_]*$, at most 255 characters). (Parameter 'fields')" },
        { "name too long", () => WithExtra(Text() with { Name = new string('a', 256) }), $"Field 3 name '{new string('a', 256)}' must be snake_case (^[a-z][a-z0-9_]*$, at most 255 characters). (Parameter 'fields')" },
        { "undefined type", () => WithExtra(Text() with { Type = (FieldType)99 }), "Field 'text': type 99 is not a defined FieldType. (Parameter 'fields')" },
        { "empty description", () => WithExtra(Text() with { Description = " " }), "Field 'text': Description must be non-empty text of at most 255 characters (it becomes the Glue column comment); has 1. (Parameter 'fields')" },
        { "long description", () => WithExtra(Text() with { Description = new string('d', 256) }), "Field 'text': Description must be non-empty text of at most 255 characters (it becomes the Glue column comment); has 256. (Parameter 'fields')" },
        { "unit on string", () => WithExtra(Text() with { Unit = "K" }), "Field 'text': Unit applies only to Long and Double fields, not to String. (Parameter 'fields')" },
        { "blank unit", () => WithExtra(Number() with { Unit = "" }), "Field 'value': Unit must be null or non-empty text. (Parameter 'fields')" },
        { "minimum on string", () => WithExtra(Text() with { Minimum = 0 }), "Field 'text': Minimum applies only to Long and Double fields, not to String. (Parameter 'fields')" },
        { "maximum on boolean", () => WithExtra(Number(FieldType.Boolean) with { Maximum = 1 }), "Field 'value': Maximum applies only to Long and Double fields, not to Boolean. (Parameter 'fields')" },
        { "max length on double", () => WithExtra(Number() with { MaxLength = 3 }), "Field 'value': MaxLength applies only to String fields, not to Double. (Parameter 'fields')" },
        { "min length on long", () => WithExtra(Number(FieldType.Long) with { MinLength = 3 }), "Field 'value': MinLength applies only to String fields, not to Long. (Parameter 'fields')" },
        { "pattern on timestamp", () => WithExtra(Number(FieldType.Timestamp) with { Pattern = "^a$" }), "Field 'value': Pattern applies only to String fields, not to Timestamp. (Parameter 'fields')" },
        { "allowed values on long", () => WithExtra(Number(FieldType.Long) with { AllowedValues = ["1"] }), "Field 'value': AllowedValues applies only to String fields, not to Long. (Parameter 'fields')" },
        { "minimum above maximum", () => WithExtra(Number() with { Minimum = 10, Maximum = 5.5 }), "Field 'value': Minimum 10 is greater than Maximum 5.5. (Parameter 'fields')" },
        { "NaN minimum", () => WithExtra(Number() with { Minimum = double.NaN }), "Field 'value': Minimum must be finite; was NaN. (Parameter 'fields')" },
        { "infinite maximum", () => WithExtra(Number() with { Maximum = double.PositiveInfinity }), "Field 'value': Maximum must be finite; was Infinity. (Parameter 'fields')" },
        { "long without whole number in range", () => WithExtra(Number(FieldType.Long) with { Minimum = 0.25, Maximum = 0.75 }), "Field 'value': no whole number lies between Minimum 0.25 and Maximum 0.75. (Parameter 'fields')" },
        { "negative min length", () => WithExtra(Text() with { MinLength = -1 }), "Field 'text': MinLength (-1) and MaxLength () must be 0 or more, MinLength not above MaxLength. (Parameter 'fields')" },
        { "min length above max length", () => WithExtra(Text() with { MinLength = 5, MaxLength = 4 }), "Field 'text': MinLength (5) and MaxLength (4) must be 0 or more, MinLength not above MaxLength. (Parameter 'fields')" },
        { "empty allowed values", () => WithExtra(Text() with { AllowedValues = [] }), "Field 'text': AllowedValues must not be empty (use null to allow any value). (Parameter 'fields')" },
        { "null allowed value", () => WithExtra(Text() with { AllowedValues = ["a", null!] }), "Field 'text': allowed value 1 is null. (Parameter 'fields')" },
        { "duplicate allowed value", () => WithExtra(Text() with { AllowedValues = ["a", "b", "a"] }), "Field 'text': allowed value 'a' is listed more than once. (Parameter 'fields')" },
        { "allowed value too long", () => WithExtra(Text() with { AllowedValues = ["ab", "abc"], MaxLength = 2 }), "Field 'text': allowed value 'abc' is 3 characters long; allowed at most 2 characters. (Parameter 'fields')" },
        { "allowed value not matching pattern", () => WithExtra(Text() with { AllowedValues = ["A", "b"], Pattern = "^[A-Z]$" }), "Field 'text': allowed value 'b' does not match Pattern '^[A-Z]$'. (Parameter 'fields')" },
        { "allowed value with lone surrogate", () => WithExtra(Text() with { AllowedValues = ["\ud800"] }), "Field 'text': allowed value 0 is not valid Unicode text. (Parameter 'fields')" },
        { "event-time field missing", () => Create(eventTime: "time"), "Schema 'sample': event-time field 'time' is not one of its fields. (Parameter 'eventTimeFieldName')" },
        { "event-time field not a timestamp", () => Create(eventTime: "id"), "Schema 'sample': event-time field 'id' must be a required Timestamp field; it is a required String field. (Parameter 'eventTimeFieldName')" },
        { "event-time field optional", () => Create([Id, Time with { Required = false }, Label]), "Schema 'sample': event-time field 'ts' must be a required Timestamp field; it is an optional Timestamp field. (Parameter 'eventTimeFieldName')" },
        { "label field missing", () => Create(label: "failed"), "Schema 'sample': label field 'failed' is not one of its fields. (Parameter 'labelFieldName')" },
        { "label field a double", () => Create([Id, Time, Label with { Type = FieldType.Double }]), "Schema 'sample': label field 'label' must be a required Boolean or Long field; it is a required Double field. (Parameter 'labelFieldName')" },
        { "label field optional", () => Create([Id, Time, Label with { Required = false }]), "Schema 'sample': label field 'label' must be a required Boolean or Long field; it is an optional Boolean field. (Parameter 'labelFieldName')" },
        { "partition key not snake_case", () => Create(partitionKey: "event-date"), "Schema 'sample': partition key 'event-date' must be snake_case (^[a-z][a-z0-9_]*$, at most 255 characters). (Parameter 'partitionKey')" },
        { "partition key is a field", () => Create(partitionKey: "id"), "Schema 'sample': partition key 'id' is also a field name; a Glue partition column must not repeat a data column. (Parameter 'partitionKey')" },
        { "negative skew", () => Create(skew: TimeSpan.FromSeconds(-1)), "Schema 'sample': maxFutureSkew must be zero or positive; was -00:00:01. (Parameter 'maxFutureSkew')" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public void Constructor_InconsistentDefinition_ThrowsWithClearMessage(string problem, Func<RecordSchema> create, string message)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(create);

        Assert.True(message == ex.Message, $"{problem}:\n expected: {message}\n actual:   {ex.Message}");
    }

    [Fact]
    public void Constructor_NegativeSkew_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(skew: TimeSpan.FromTicks(-1)));
    }

    [Theory]
    [InlineData("(unclosed", "is not a valid regular expression")]
    [InlineData("(a)\\1", "cannot be matched in linear time (no backreferences, lookarounds or atomic groups)")]
    [InlineData("^(?=a)a$", "cannot be matched in linear time (no backreferences, lookarounds or atomic groups)")]
    public void Constructor_UnusablePattern_ThrowsNamingFieldAndPattern(string pattern, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => WithExtra(Text() with { Pattern = pattern }));

        Assert.StartsWith($"Field 'text': Pattern '{pattern}' {problem}: ", ex.Message, StringComparison.Ordinal);
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
