using System.Text;
using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>Events that cannot be answered record by record, and envelope details that do not matter.</summary>
public partial class FirehoseTransformerTests
{
    private static readonly string ValidData = Telemetry.Base64(Telemetry.Valid);

    [Theory]
    [InlineData("", "Malformed Firehose event: not valid JSON at line 1, byte 1: The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true.")]
    [InlineData("  \n ", "Malformed Firehose event: not valid JSON at line 2, byte 2: The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true.")]
    [InlineData("[]", "Malformed Firehose event: the event must be a JSON object; found an array.")]
    [InlineData("null", "Malformed Firehose event: the event must be a JSON object; found null.")]
    [InlineData("{\"records\":null}", "Malformed Firehose event: \"records\" must be an array; found null.")]
    [InlineData("{\"records\":[],\"records\":[]}", "Malformed Firehose event: \"records\" appears more than once.")]
    [InlineData("{\"records\":[42]}", "Malformed Firehose event: records[0] must be an object; found a number.")]
    [InlineData("{\"records\":[{\"recordId\":1,\"data\":\"e30=\"}]}", "Malformed Firehose event: records[0].recordId must be a string; found a number.")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"recordId\":\"2\",\"data\":\"e30=\"}]}", "Malformed Firehose event: records[0] has more than one \"recordId\".")]
    [InlineData("{\"records\":[{\"data\":\"e30=\"}]}", "Malformed Firehose event: records[0] has no \"recordId\"; a record cannot be answered without it.")]
    [InlineData("{\"records\":[{\"recordId\":\"r\\u00e9\"}]}", "Malformed Firehose event: records[0] (recordId r\\u00e9) has no \"data\".")]
    [InlineData("{\"records\":[]} x", "Malformed Firehose event: not valid JSON at line 1, byte 16: 'x' is invalid after a single JSON value. Expected end of data.")]
    [InlineData("{\"records\":[],}", "Malformed Firehose event: not valid JSON at line 1, byte 15: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"data\":\"e30=\"}", "Malformed Firehose event: not valid JSON at line 1, byte 43: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    public void Transform_MalformedEvent_ThrowsWithMessage(string json, string message)
    {
        var ex = Assert.Throws<FirehoseEventException>(() => TransformRun.Of(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(message, ex.Message);
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

        Assert.IsType<System.Text.Json.JsonException>(ex.InnerException, exactMatch: false);
    }

    [Fact]
    public void Transform_DeeplyNestedUnknownProperty_ThrowsBeyondDepth64()
    {
        var deep = new string('[', 70) + new string(']', 70);

        var ex = Assert.Throws<FirehoseEventException>(
            () => TransformRun.Of(Encoding.UTF8.GetBytes("{\"extra\":" + deep + ",\"records\":[]}")));

        Assert.Equal("Malformed Firehose event: not valid JSON at line 1, byte 73: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array.", ex.Message);
    }

    [Fact]
    public void Transform_UnknownPropertiesAnywhere_AreIgnored()
    {
        var json =
            "{\"future\":{\"a\":[1,{\"b\":null}]},\"records\":[{\"x\":[true],\"recordId\":\"r1\",\"data\":\"" + ValidData + "\"," +
            "\"kinesisRecordMetadata\":{\"shardId\":\"s-1\",\"nested\":{\"shardId\":\"not-this\"},\"sequenceNumber\":\"9\"},\"y\":{}}]," +
            "\"region\":\"eu-west-1\",\"sourceKinesisStreamArn\":7}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        var record = Assert.Single(run.Records);
        Assert.Equal(("r1", "Ok"), (record.RecordId, record.Result));
        Assert.Null(run.Summary.InvocationId);
        Assert.Null(run.Summary.DeliveryStreamArn);
    }

    [Fact]
    public void Transform_PropertiesInAnyOrder_AreRead()
    {
        var json =
            "{\"records\":[{\"data\":\"" + ValidData + "\",\"kinesisRecordMetadata\":{\"sequenceNumber\":\"9\",\"shardId\":\"s\"}," +
            "\"recordId\":\"r1\"}],\"invocationId\":\"late\"}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Equal("Ok", Assert.Single(run.Records).Result);
        Assert.Equal("late", run.Summary.InvocationId);
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

        var output = Encoding.UTF8.GetString(run.Output);
        Assert.Equal(2, output.Split("\"recordId\":\"\\u0031\\/2\\u00e9\"").Length - 1);
        Assert.All(run.Records, r => Assert.Equal("1/2\u00e9", r.RecordId));
    }

    [Fact]
    public void Transform_EscapedBase64Data_IsUnescapedBeforeDecoding()
    {
        // JSON allows "\/" for "/" and \u escapes: the data is the unescaped string. "???" encodes as "Pz8/" when
        // aligned on a 3-byte boundary, so some leading whitespace makes the base64 contain a '/'.
        var record = Enumerable.Range(0, 3)
            .Select(k => new string(' ', k) + Telemetry.Valid.Replace("plant-a", "???", StringComparison.Ordinal))
            .First(r => Telemetry.Base64(r).Contains('/', StringComparison.Ordinal));
        var escaped = Telemetry.Base64(record)
            .Replace("/", "\\/", StringComparison.Ordinal)
            .Replace("A", "\\u0041", StringComparison.Ordinal);
        Assert.Contains("\\/", escaped, StringComparison.Ordinal);
        Assert.Contains("\\u0041", escaped, StringComparison.Ordinal);

        var run = TransformRun.Of(Encoding.UTF8.GetBytes("{\"records\":[{\"recordId\":\"r\",\"data\":\"" + escaped + "\"}]}"));

        Assert.Equal("Ok", run.Records[0].Result);
        Assert.Equal(Telemetry.ValidNormalised.Replace("plant-a", "???", StringComparison.Ordinal), run.Records[0].Decoded);
    }

    [Fact]
    public void Transform_FailedRecordWithEscapedData_EchoesTheEscapedToken()
    {
        var json = "{\"records\":[{\"recordId\":\"r\",\"data\":\"e30\\u003d\\n\"}]}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Contains("\"data\":\"e30\\u003d\\n\"", Encoding.UTF8.GetString(run.Output), StringComparison.Ordinal);
        Assert.Equal("e30=\n", run.Records[0].Data);
        Assert.Equal("base64Text", run.RejectionOf(0).GetProperty("rawSha256Of").GetString());
        Assert.Equal(5, run.RejectionOf(0).GetProperty("rawBytes").GetInt32());
    }

    [Fact]
    public void Transform_MissingKinesisMetadata_LogsNullIdentifiers()
    {
        var run = TransformRun.Of("{\"records\":[{\"recordId\":\"r\",\"data\":\"\"}]}"u8.ToArray());

        var rejection = run.RejectionOf(0);
        Assert.Equal("r", rejection.GetProperty("recordId").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rejection.GetProperty("shardId").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rejection.GetProperty("sequenceNumber").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rejection.GetProperty("approximateArrivalTimestamp").ValueKind);
    }

    [Fact]
    public void Transform_ApproximateArrivalTimestampNotAnInteger_LogsNull()
    {
        var run = TransformRun.Of("{\"records\":[{\"recordId\":\"r\",\"approximateArrivalTimestamp\":1.5,\"data\":\"\"}]}"u8.ToArray());

        Assert.Equal(System.Text.Json.JsonValueKind.Null, run.RejectionOf(0).GetProperty("approximateArrivalTimestamp").ValueKind);
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
    public void Transform_IdentifierWithUnpairedSurrogateEscape_IsLoggedAsWritten()
    {
        // Not text a JSON parser accepts as a string, but it is what arrived: echoed as it is, logged as written.
        var json = "{\"records\":[{\"recordId\":\"a\\ud800b\",\"data\":\"\"}]}";
        var log = new StringWriter();
        var output = new SegmentedBufferWriter();

        TransformRun.Transformer(log).Transform(Encoding.UTF8.GetBytes(json), output);

        Assert.Equal(
            "{\"records\":[{\"recordId\":\"a\\ud800b\",\"result\":\"ProcessingFailed\",\"data\":\"\"}]}",
            Encoding.UTF8.GetString(output.ToArray()));
        Assert.Contains("\"recordId\":\"a\\\\ud800b\"", log.ToString(), StringComparison.Ordinal);
    }
}
