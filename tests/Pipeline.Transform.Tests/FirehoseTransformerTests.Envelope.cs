using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>Events that cannot be answered record by record, and envelope details that do not matter.</summary>
public partial class FirehoseTransformerTests
{
    private static readonly string ValidData = Telemetry.Base64(Telemetry.Valid);

    [Theory]
    [InlineData("", "not valid JSON at line 1, byte 1: ")]
    [InlineData("  \n ", "not valid JSON at line 2, byte 2: ")]
    [InlineData("[]", "the event must be a JSON object; found an array.")]
    [InlineData("null", "the event must be a JSON object; found null.")]
    [InlineData("{\"records\":null}", "\"records\" must be an array; found null.")]
    [InlineData("{\"records\":[],\"records\":[]}", "\"records\" appears more than once.")]
    [InlineData("{\"records\":[42]}", "records[0] must be an object; found a number.")]
    [InlineData("{\"records\":[{\"recordId\":1,\"data\":\"e30=\"}]}", "records[0].recordId must be a string; found a number.")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"recordId\":\"2\",\"data\":\"e30=\"}]}", "records[0] has more than one \"recordId\".")]
    [InlineData("{\"records\":[{\"data\":\"e30=\"}]}", "records[0] has no \"recordId\"; a record cannot be answered without it.")]
    [InlineData("{\"records\":[{\"recordId\":\"r\\u00e9\"}]}", "records[0] (recordId r\\\\u00e9) has no \"data\".")]
    [InlineData("{\"records\":[]} x", "not valid JSON at line 1, byte 16: ")]
    [InlineData("{\"records\":[],}", "not valid JSON at line 1, byte 15: ")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"data\":\"e30=\"}", "not valid JSON at line 1, byte 43: ")]
    public void Transform_MalformedEvent_ThrowsNamingTheProblem(string json, string problem)
    {
        var ex = Assert.Throws<FirehoseEventException>(() => TransformRun.Of(Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith("Malformed Firehose event: " + problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_RecordIdNotUtf8_Throws()
    {
        var json = Encoding.UTF8.GetBytes("{\"records\":[{\"recordId\":\"a?b\",\"data\":\"e30=\"}]}");
        json[Array.IndexOf(json, (byte)'?')] = 0xFF;

        var ex = Assert.Throws<FirehoseEventException>(() => TransformRun.Of(json));

        Assert.Equal("Malformed Firehose event: records[0].recordId is not valid UTF-8.", ex.Message);
    }

    [Fact]
    public void Transform_NotJson_KeepsTheParserExceptionAsInner()
    {
        var ex = Assert.Throws<FirehoseEventException>(() => TransformRun.Of("{"u8.ToArray()));

        Assert.IsType<JsonException>(ex.InnerException, exactMatch: false);
    }

    [Fact]
    public void Transform_UnknownPropertyNestedBeyondDepth64_Throws()
    {
        var deep = new string('[', 70) + new string(']', 70);

        var ex = Assert.Throws<FirehoseEventException>(() => TransformRun.Of(Encoding.UTF8.GetBytes("{\"extra\":" + deep + ",\"records\":[]}")));

        Assert.Contains("depth of 64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_UnknownPropertiesAnywhereInAnyOrder_AreIgnored()
    {
        var json =
            "{\"future\":{\"a\":[1,{\"b\":null}]},\"records\":[{\"x\":[true],\"data\":\"" + ValidData + "\",\"recordId\":\"r1\"," +
            "\"kinesisRecordMetadata\":{\"shardId\":\"s-1\",\"nested\":{\"shardId\":\"not-this\"},\"sequenceNumber\":\"9\"},\"y\":{}}]," +
            "\"invocationId\":\"late\",\"sourceKinesisStreamArn\":7}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Equal(("r1", "Ok"), (Assert.Single(run.Records).RecordId, run.Records[0].Result));
        Assert.Equal(("late", null), (run.Summary.InvocationId, run.Summary.DeliveryStreamArn));
    }

    [Fact]
    public void Transform_EscapedPropertyNames_AreRecognised()
    {
        var json = "{\"rec\\u006frds\":[{\"record\\u0049d\":\"r1\",\"\\u0064ata\":\"" + ValidData + "\"}]}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Equal(("r1", "Ok"), (Assert.Single(run.Records).RecordId, run.Records[0].Result));
    }

    [Fact]
    public void Transform_RecordIdWithEscapes_IsEchoedByteForByte()
    {
        var json = "{\"records\":[{\"recordId\":\"\\u0031\\/2\\u00e9\",\"data\":\"" + ValidData + "\"}," +
                   "{\"recordId\":\"\\u0031\\/2\\u00e9\",\"data\":\"%\"}]}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Equal(2, Encoding.UTF8.GetString(run.Output).Split("\"recordId\":\"\\u0031\\/2\\u00e9\"").Length - 1);
        Assert.Equal(["Ok", "ProcessingFailed"], run.Records.Select(r => r.Result));
    }

    [Fact]
    public void Transform_EscapedBase64Data_IsUnescapedBeforeDecoding()
    {
        // "???" encodes as "Pz8/" when aligned on a 3-byte boundary: some leading whitespace puts a '/' in the base64.
        var record = Enumerable.Range(0, 3)
            .Select(k => new string(' ', k) + Telemetry.With("site_id", "\"???\""))
            .First(r => Telemetry.Base64(r).Contains('/', StringComparison.Ordinal));
        var escaped = Telemetry.Base64(record).Replace("/", "\\/", StringComparison.Ordinal).Replace("A", "\\u0041", StringComparison.Ordinal);

        var run = TransformRun.Of(Encoding.UTF8.GetBytes("{\"records\":[{\"recordId\":\"r\",\"data\":\"" + escaped + "\"}]}"));

        Assert.Equal("Ok", run.Records[0].Result);
        Assert.Equal(Telemetry.With("site_id", "\"???\"", Telemetry.ValidNormalised), run.Records[0].Decoded);
    }

    [Fact]
    public void Transform_FailedRecordWithEscapedData_EchoesTheEscapedTokenAndHashesTheText()
    {
        var run = TransformRun.Of("{\"records\":[{\"recordId\":\"r\",\"data\":\"e30\\u003d\\n\"}]}"u8.ToArray());

        Assert.Contains("\"data\":\"e30\\u003d\\n\"", Encoding.UTF8.GetString(run.Output), StringComparison.Ordinal);
        Assert.Equal(("base64Text", 5), (run.RejectionOf(0).GetProperty("rawSha256Of").GetString(), run.RejectionOf(0).GetProperty("rawBytes").GetInt32()));
    }

    [Theory]
    [InlineData("{\"records\":[{\"recordId\":\"r\",\"data\":\"\"}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"r\",\"approximateArrivalTimestamp\":1.5,\"data\":\"\",\"kinesisRecordMetadata\":7}]}")]
    public void Transform_MissingOrOddKinesisMetadata_LogsNullIdentifiers(string json)
    {
        var rejection = TransformRun.Of(Encoding.UTF8.GetBytes(json)).RejectionOf(0);

        Assert.Equal("r", rejection.GetProperty("recordId").GetString());
        Assert.All(
            ["shardId", "sequenceNumber", "approximateArrivalTimestamp"],
            name => Assert.Equal(JsonValueKind.Null, rejection.GetProperty(name).ValueKind));
    }

    [Fact]
    public void Transform_LongIdentifiers_AreCutInTheLogButEchoedWhole()
    {
        var id = new string('7', 300);
        var shard = "shard-" + new string('\u00e9', 300);
        var json = $"{{\"records\":[{{\"recordId\":\"{id}\",\"data\":\"\",\"kinesisRecordMetadata\":{{\"shardId\":\"{shard}\"}}}}]}}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Equal(id, run.Records[0].RecordId);
        Assert.Equal(new string('7', 256) + "...", run.RejectionOf(0).GetProperty("recordId").GetString());
        Assert.Equal(shard[..256] + "...", run.RejectionOf(0).GetProperty("shardId").GetString());
    }

    [Fact]
    public void Transform_IdentifierWithUnpairedSurrogateEscape_IsEchoedAndLoggedAsWritten()
    {
        var log = new StringWriter();
        var output = new ArrayBufferWriter<byte>();

        TransformRun.Transformer(log).Transform("{\"records\":[{\"recordId\":\"a\\ud800b\",\"data\":\"\"}]}"u8, output);

        Assert.Equal("{\"records\":[{\"recordId\":\"a\\ud800b\",\"result\":\"ProcessingFailed\",\"data\":\"\"}]}", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Contains("\"recordId\":\"a\\\\ud800b\"", log.ToString(), StringComparison.Ordinal);
    }
}
