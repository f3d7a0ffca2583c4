using System.Text;
using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

/// <summary>The field pattern's regular expression is compiled only when a validation needs it.</summary>
public class CompiledFieldTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static RecordSchema Schema(string pattern, IReadOnlyList<string>? allowed = null) => new(
        "sample",
        [
            new FieldDefinition { Name = "code", Type = FieldType.String, Required = true, Description = "Code.", Pattern = pattern, AllowedValues = allowed },
            new FieldDefinition { Name = "ts", Type = FieldType.Timestamp, Required = true, Description = "Event time." },
            new FieldDefinition { Name = "label", Type = FieldType.Boolean, Required = true, Description = "Label." },
        ],
        "ts",
        "label",
        new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
        TimeSpan.FromMinutes(5));

    private static byte[] Record(string code) =>
        Encoding.UTF8.GetBytes($"{{\"code\":\"{code}\",\"ts\":\"2026-11-21T10:00:00Z\",\"label\":true}}");

    [Fact]
    public void Constructor_AsciiClassPattern_LeavesTheRegexUncompiled()
    {
        var field = Schema("^[a-z]+$").Compiled[0];

        Assert.True(field.HasPattern);
        Assert.NotNull(field.AsciiClassPattern);
        Assert.False(field.IsPatternCompiled);
    }

    [Fact]
    public void Validate_AsciiClassPatternMatchAndMismatch_NeverCompilesTheRegex()
    {
        var schema = Schema("^[a-z]+$");
        var validator = new RecordValidator(schema);

        var valid = validator.Validate(Record("abc"), Now);
        var invalid = validator.Validate(Record("ABC"), Now);
        var buffered = validator.Validate(Record("ABC"), Now, new RecordBuffer(schema));

        Assert.True(valid.IsValid);
        Assert.Equal(RecordErrorCode.PatternMismatch, Assert.Single(invalid.Errors).Code);
        Assert.False(buffered);
        Assert.False(schema.Compiled[0].IsPatternCompiled);
    }

    [Fact]
    public void Pattern_AsciiClassPatternAskedFor_IsCompiledWithEndOfValueAnchor()
    {
        var field = Schema("^[a-z]+$").Compiled[0];

        var regex = field.Pattern!;

        Assert.True(field.IsPatternCompiled);
        Assert.Equal("^[a-z]+\\z", regex.ToString());
    }

    [Fact]
    public void Constructor_PatternTheFastPathCannotTake_CompilesTheRegex()
    {
        var field = Schema("^(ab|cd)+$").Compiled[0];

        Assert.Null(field.AsciiClassPattern);
        Assert.True(field.IsPatternCompiled);
    }

    [Fact]
    public void Constructor_AllowedValueOutsideAsciiClassPattern_ThrowsWithoutCompilingTheRegex()
    {
        var ex = Assert.Throws<ArgumentException>(() => Schema("^[a-z]+$", ["ok", "NO"]));

        Assert.Equal("Field 'code': allowed value 'NO' does not match Pattern '^[a-z]+$'. (Parameter 'fields')", ex.Message);
    }

    [Fact]
    public void TelemetrySchema_DeviceIdAfterValidation_RegexIsNotCompiled()
    {
        var validator = new RecordValidator(TelemetrySchema.Definition);
        validator.Validate("{\"device_id\":\"bad id\"}"u8, Now);

        var deviceId = Assert.Single(TelemetrySchema.Definition.Compiled, f => f.Name == "device_id");

        Assert.False(deviceId.IsPatternCompiled);
    }
}
