using System.Globalization;
using System.Text;
using Pipeline.Ingestion;
using Pipeline.Schema;
using Pipeline.Transform.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests;

public class NormalisedRecordWriterTests
{
    private static string Write(string json, RecordSchema? schema = null)
    {
        schema ??= TelemetrySchema.Definition;
        var buffer = new RecordBuffer(schema);
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.True(new RecordValidator(schema).Validate(utf8, Telemetry.Now, buffer), string.Join(" | ", buffer.Errors));
        var writer = new NormalisedRecordWriter(schema);
        var normalised = writer.Write(buffer, utf8);
        Assert.InRange(normalised.Length, 2, writer.MaxLength(utf8.Length));
        return Encoding.UTF8.GetString(normalised);
    }

    [Fact]
    public void Write_ValidRecord_IsCompactInSchemaOrder()
    {
        Assert.Equal(Telemetry.ValidNormalised, Write(Telemetry.Valid));
    }

    [Fact]
    public void Write_ReusedWriter_ForgetsThePreviousRecord()
    {
        var schema = TelemetrySchema.Definition;
        var writer = new NormalisedRecordWriter(schema);
        var buffer = new RecordBuffer(schema);
        var validator = new RecordValidator(schema);
        var longer = Encoding.UTF8.GetBytes(Telemetry.Valid.Replace("plant-a", new string('p', 60), StringComparison.Ordinal));
        validator.Validate(longer, Telemetry.Now, buffer);
        writer.Write(buffer, longer);

        var valid = Encoding.UTF8.GetBytes(Telemetry.Valid);
        validator.Validate(valid, Telemetry.Now, buffer);

        Assert.Equal(Telemetry.ValidNormalised, Encoding.UTF8.GetString(writer.Write(buffer, valid)));
    }

    [Fact]
    public void Write_WorstCaseGrowth_StaysWithinMaxLength()
    {
        // Every value as short as its input can be against as long as its output gets: the bound is tight enough.
        var schema = new RecordSchema(
            "growth",
            [
                new FieldDefinition { Name = "t", Type = FieldType.Timestamp, Required = true, Description = "Event time." },
                new FieldDefinition { Name = "d", Type = FieldType.Double, Required = true, Description = "Double." },
                new FieldDefinition { Name = "l", Type = FieldType.Long, Required = true, Description = "Label." },
                new FieldDefinition { Name = "s", Type = FieldType.String, Required = true, Description = "Text." },
            ],
            "t",
            "l",
            TelemetrySchema.EarliestEventTime,
            TimeSpan.Zero);

        var normalised = Write("{\"t\":\"2026-11-21T10:15Z\",\"d\":-1.7976931348623157e308,\"l\":-9.223372036854775808E18,\"s\":\"\\u0001\"}", schema);

        Assert.Equal("{\"t\":\"2026-11-21 10:15:00.000\",\"d\":-1.7976931348623157E+308,\"l\":-9223372036854775808,\"s\":\"\\u0001\"}", normalised);
    }

    [Fact]
    public void Write_CopyPathAndGeneralPath_WriteTheSameBytes()
    {
        // Compact records in schema order take the copy path (when their numbers are in normal form); it must write
        // exactly what the general path writes, for every valid record.
        var schema = TelemetrySchema.Definition;
        var validator = new RecordValidator(schema);
        var buffer = new RecordBuffer(schema);
        var copying = new NormalisedRecordWriter(schema);
        var general = new NormalisedRecordWriter(schema);
        var generator = new HostileRecords(4242);
        var random = new Random(4242);
        var (plain, compared) = (0, 0);
        for (var i = 0; i < 30_000; i++)
        {
            var json = random.Next(3) == 0 ? RealisticTelemetry.Reading(random) : generator.Next().DataJson;
            byte[] utf8;
            if (json.StartsWith('{'))
            {
                utf8 = Encoding.UTF8.GetBytes(json);
            }
            else if (json.StartsWith('"') && !json.Contains('\\', StringComparison.Ordinal)
                && Convert.TryFromBase64String(json[1..^1], new byte[json.Length], out _))
            {
                utf8 = Convert.FromBase64String(json[1..^1]);
            }
            else
            {
                continue;
            }

            if (!validator.Validate(utf8, Telemetry.Now, buffer))
            {
                continue;
            }

            compared++;
            plain += buffer.IsPlainCompact ? 1 : 0;
            var expected = general.Write(buffer, utf8, allowCopy: false).ToArray();
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(copying.Write(buffer, utf8)));
        }

        Assert.InRange(plain, 5_000, compared - 1_000);
    }

    [Fact]
    public void FormatTimestamp_RandomInstants_MatchTheCustomFormat()
    {
        var random = new Random(3);
        Span<byte> destination = stackalloc byte[NormalisedRecordWriter.TimestampLength];
        var instants = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero) };
        instants.AddRange(Enumerable.Range(0, 5000).Select(_ => new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero)));

        foreach (var instant in instants)
        {
            NormalisedRecordWriter.FormatTimestamp(instant, destination);
            Assert.Equal(instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), Encoding.ASCII.GetString(destination));
            NormalisedRecordWriter.FormatDate(instant.UtcDateTime, destination);
            Assert.Equal(TelemetrySchema.Definition.PartitionValue(instant), Encoding.ASCII.GetString(destination[..10]));
        }
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-0", true)]
    [InlineData("298.1", true)]
    [InlineData("-0.5", true)]
    [InlineData("0.0001", true)]
    [InlineData("123456789012345", true)]
    [InlineData("12345678901234.5", true)]
    [InlineData("0.00001", false)]
    [InlineData("0.0", false)]
    [InlineData("1.50", false)]
    [InlineData("01", false)]
    [InlineData("1e3", false)]
    [InlineData("1E3", false)]
    [InlineData("1234567890123456", false)]
    [InlineData("0.1234567890123456", false)]
    public void IsShortestDecimal_ExamplesMatchDotnetFormatting(string token, bool shortest)
    {
        var bytes = Encoding.ASCII.GetBytes(token);
        Assert.Equal(shortest, NormalisedRecordWriter.IsShortestDecimal(bytes));
        if (shortest)
        {
            Assert.Equal(token, double.Parse(token, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void IsShortestDecimal_RandomTokens_OnlyWhenFormattingGivesTheSameText()
    {
        // The copy shortcut must never change the output: whenever it applies, formatting the value gives the token.
        var random = new Random(5);
        var copied = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var integer = random.Next(4) switch
            {
                0 => "0",
                1 => random.Next(1, 1000).ToString(CultureInfo.InvariantCulture),
                2 => JsonDecimalTests.Digits(random, random.Next(1, 18)),
                _ => random.NextInt64(1, 100_000).ToString(CultureInfo.InvariantCulture) + new string('0', random.Next(0, 12)),
            };
            var fraction = random.Next(3) == 0 ? string.Empty : "." + new string('0', random.Next(0, 6)) + JsonDecimalTests.Digits(random, random.Next(1, 10));
            var token = (random.Next(5) == 0 ? "-" : string.Empty) + integer + fraction;
            if (NormalisedRecordWriter.IsShortestDecimal(Encoding.ASCII.GetBytes(token)))
            {
                copied++;
                Assert.Equal(token, double.Parse(token, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
            }
        }

        Assert.InRange(copied, 50_000, 200_000);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("108", true)]
    [InlineData("-9223372036854775808", true)]
    [InlineData("-0", false)]
    [InlineData("007", false)]
    [InlineData("1e5", false)]
    [InlineData("108.0", false)]
    [InlineData("-", false)]
    public void IsPlainInteger_Examples(string token, bool plain)
    {
        Assert.Equal(plain, NormalisedRecordWriter.IsPlainInteger(Encoding.ASCII.GetBytes(token)));
    }

    [Fact]
    public void Write_DoublesWithoutShortcut_AreFormattedShortestRoundTrip()
    {
        var random = new Random(9);
        var schema = new RecordSchema(
            "numbers",
            [
                new FieldDefinition { Name = "at", Type = FieldType.Timestamp, Required = true, Description = "Event time." },
                new FieldDefinition { Name = "x", Type = FieldType.Double, Required = true, Description = "A number." },
                new FieldDefinition { Name = "ok", Type = FieldType.Boolean, Required = true, Description = "Label." },
            ],
            "at",
            "ok",
            TelemetrySchema.EarliestEventTime,
            TimeSpan.Zero);
        for (var i = 0; i < 3000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = value.ToString("E16", CultureInfo.InvariantCulture);

            var normalised = Write($"{{\"at\":\"2026-11-21T10:00:00Z\",\"x\":{text},\"ok\":true}}", schema);

            Assert.Equal($"{{\"at\":\"2026-11-21 10:00:00.000\",\"x\":{value.ToString(CultureInfo.InvariantCulture)},\"ok\":true}}", normalised);
        }
    }
}
