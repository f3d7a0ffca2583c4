using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Pipeline.Schema;
using static System.FormattableString;

namespace Pipeline.Ingestion;

/// <summary>
/// The Firehose data-transformation step: for each record of an invocation event, decodes the base64 <c>data</c>,
/// validates it (<see cref="RecordValidator"/>) and answers <c>Ok</c> with the normalised record and its partition key,
/// or <c>ProcessingFailed</c> with the original data. No Lambda or AWS types: the function is a thin wrapper.
/// </summary>
/// <remarks>
/// Every record is answered once, in input order, its <c>recordId</c> token echoed byte for byte. Rejections are logged
/// one JSON line per record (at most <see cref="MaxRejectionLogLines"/>), then a summary line; the lines are held until
/// the whole event is answered, so a malformed event (which throws <see cref="FirehoseEventException"/>) logs none.
/// Buffers are kept between invocations, so an instance serves one invocation at a time.
/// </remarks>
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "Its Utf8JsonWriter writes to an in-memory buffer: disposing would only flush.")]
public sealed class FirehoseTransformer
{
    /// <summary>The most rejection lines logged per invocation; further rejections are only counted, so a hostile batch cannot flood the log.</summary>
    public const int MaxRejectionLogLines = 200;

    /// <summary>The longest identifier (recordId, shardId, ...) written to a log line; longer ones are cut with "...".</summary>
    public const int MaxLoggedIdentifierLength = 256;

    private static readonly JsonReaderOptions EventOptions = new() { MaxDepth = 64 };
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] CodeNames = [.. Enum.GetNames<RecordErrorCode>(), .. Enum.GetNames<TransformErrorCode>()];
    private static readonly int RecordErrorCodes = Enum.GetNames<RecordErrorCode>().Length;
    private static readonly SearchValues<byte> Base64Characters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    private static readonly byte[] OkMetadata =
        Encoding.UTF8.GetBytes($"\",\"metadata\":{{\"partitionKeys\":{{\"{RecordSchema.DefaultPartitionKey}\":\"");

    private readonly TimeProvider _time;
    private readonly TextWriter _log;
    private readonly int _maxRecordBytes;
    private readonly int _maxOutputBytes;
    private readonly RecordValidator _validator = new();
    private readonly int[] _codeCounts = new int[CodeNames.Length];
    private readonly ArrayBufferWriter<byte> _lines = new();
    private readonly List<int> _lineEnds = [];
    private readonly Utf8JsonWriter _lineWriter;
    private byte[] _unescaped = new byte[4096];
    private byte[] _decoded = new byte[4096];

    // The invocation in progress.
    private IBufferWriter<byte> _output = null!;
    private long _bytesOut;
    private DateTimeOffset _now;
    private int _records;
    private int _ok;
    private int _omittedLines;

    /// <summary>Creates a transformer.</summary>
    /// <param name="timeProvider">The clock: "now" for the event-time window (read once per invocation) and elapsed time.</param>
    /// <param name="log">Where log lines go, one JSON object per line (the function passes <see cref="Console.Out"/>).</param>
    /// <param name="options">Limits; null for the deployed ones.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> or <paramref name="log"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public FirehoseTransformer(TimeProvider timeProvider, TextWriter log, FirehoseTransformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(log);
        options ??= new FirehoseTransformerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRecordBytes, 1, nameof(options.MaxRecordBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxOutputBytes, 1, nameof(options.MaxOutputBytes));
        _time = timeProvider;
        _log = log;
        _maxRecordBytes = options.MaxRecordBytes;
        _maxOutputBytes = options.MaxOutputBytes;
        _lineWriter = new Utf8JsonWriter(_lines, LineOptions);
    }

    /// <summary>Transforms one invocation event and writes the response; logs the rejections and a summary line.</summary>
    /// <param name="utf8Event">The event as Firehose sends it: UTF-8 JSON.</param>
    /// <param name="output">Where the response JSON is written. On an exception, what was written is to be discarded.</param>
    /// <returns>What the invocation did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="FirehoseEventException">The event is malformed; the message says how.</exception>
    /// <exception cref="FirehoseOutputTooLargeException">The response would exceed <see cref="FirehoseTransformerOptions.MaxOutputBytes"/>.</exception>
    public FirehoseTransformSummary Transform(ReadOnlySpan<byte> utf8Event, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var started = _time.GetTimestamp();
        (_output, _bytesOut, _now, _records, _ok, _omittedLines) = (output, 0, _time.GetUtcNow(), 0, 0, 0);
        Array.Clear(_codeCounts);
        _lines.ResetWrittenCount();
        _lineEnds.Clear();
        string? invocationId = null;
        string? deliveryStreamArn = null;
        var reader = new Utf8JsonReader(utf8Event, EventOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed($"the event must be a JSON object; found {RecordValidator.Kind(reader.TokenType)}.");
            }

            var sawRecords = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("records"u8))
                {
                    reader.Read();
                    if (sawRecords)
                    {
                        throw Malformed("\"records\" appears more than once.");
                    }

                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw Malformed($"\"records\" must be an array; found {RecordValidator.Kind(reader.TokenType)}.");
                    }

                    sawRecords = true;
                    ReadRecords(ref reader, utf8Event);
                }
                else if (reader.ValueTextEquals("invocationId"u8))
                {
                    reader.Read();
                    invocationId = Loggable(utf8Event, StringToken(ref reader));
                }
                else if (reader.ValueTextEquals("deliveryStreamArn"u8))
                {
                    reader.Read();
                    deliveryStreamArn = Loggable(utf8Event, StringToken(ref reader));
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            reader.Read(); // throws when anything follows the event
            if (!sawRecords)
            {
                throw Malformed("the event has no \"records\" array.");
            }
        }
        catch (JsonException ex)
        {
            throw new FirehoseEventException(
                Invariant($"Malformed Firehose event: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {RecordValidator.Reason(ex)}."),
                ex);
        }

        if (_bytesOut > _maxOutputBytes)
        {
            throw new FirehoseOutputTooLargeException(Invariant(
                $"The response for {_records} records would be {_bytesOut} bytes, more than the {_maxOutputBytes}-byte limit (the event was {utf8Event.Length} bytes). Lower the Firehose processing buffer size."));
        }

        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _codeCounts.Length; i++)
        {
            if (_codeCounts[i] > 0)
            {
                failures.Add(CodeNames[i], _codeCounts[i]);
            }
        }

        var summary = new FirehoseTransformSummary
        {
            InvocationId = invocationId,
            DeliveryStreamArn = deliveryStreamArn,
            Records = _records,
            Ok = _ok,
            Failed = _records - _ok,
            BytesIn = utf8Event.Length,
            BytesOut = _bytesOut,
            FailuresByCode = failures,
            RejectionLinesWritten = _lineEnds.Count,
            RejectionLinesOmitted = _omittedLines,
            Elapsed = _time.GetElapsedTime(started),
        };
        WriteLog(summary);
        return summary;
    }

    private void ReadRecords(ref Utf8JsonReader reader, ReadOnlySpan<byte> input)
    {
        Write("{\"records\":["u8);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed($"records[{_records}] must be an object; found {RecordValidator.Kind(reader.TokenType)}.");
            }

            var record = new EventRecord { Index = _records };
            ReadRecord(ref reader, input, ref record);
            Answer(input, ref record);
            _records++;
        }

        Write("]}"u8);
    }

    private static void ReadRecord(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, ref EventRecord record)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals("data"u8) ? "data"
                : reader.ValueTextEquals("recordId"u8) ? "recordId"
                : reader.ValueTextEquals("approximateArrivalTimestamp"u8) ? "approximateArrivalTimestamp"
                : reader.ValueTextEquals("kinesisRecordMetadata"u8) ? "kinesisRecordMetadata"
                : null;
            reader.Read();
            switch (name)
            {
                case "data":
                    if (record.DataCount++ == 0)
                    {
                        (record.DataKind, record.DataEscaped) = (reader.TokenType, reader.ValueIsEscaped);
                        record.Data = ValueToken(ref reader);
                    }

                    break;
                case "recordId" when record.RecordId.Length > 0:
                    throw Malformed($"records[{record.Index}] has more than one \"recordId\".");
                case "recordId" when reader.TokenType != JsonTokenType.String:
                    throw Malformed($"records[{record.Index}].recordId must be a string; found {RecordValidator.Kind(reader.TokenType)}.");
                case "recordId" when !Utf8.IsValid(reader.ValueSpan):
                    throw Malformed($"records[{record.Index}].recordId is not valid UTF-8.");
                case "recordId":
                    record.RecordId = ValueToken(ref reader);
                    break;
                case "approximateArrivalTimestamp" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var arrival):
                    record.Arrival = arrival;
                    break;
                case "kinesisRecordMetadata" when reader.TokenType == JsonTokenType.StartObject:
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var (shard, sequence) = (reader.ValueTextEquals("shardId"u8), reader.ValueTextEquals("sequenceNumber"u8));
                        reader.Read();
                        record.ShardId = shard ? StringToken(ref reader) : record.ShardId;
                        record.SequenceNumber = sequence ? StringToken(ref reader) : record.SequenceNumber;
                        reader.Skip();
                    }

                    break;
                default:
                    break;
            }

            reader.Skip();
        }

        if (record.RecordId.Length == 0)
        {
            throw Malformed($"records[{record.Index}] has no \"recordId\"; a record cannot be answered without it.");
        }

        if (record.DataCount == 0)
        {
            throw Malformed($"records[{record.Index}] (recordId {SafeText.Echo(Encoding.UTF8.GetString(Content(input, record.RecordId)))}) has no \"data\".");
        }
    }

    private void Answer(ReadOnlySpan<byte> input, ref EventRecord record)
    {
        // What a rejection line hashes: the decoded record when decoding worked, else the data text, else the JSON value.
        var token = input.Slice(record.Data.Start, record.Data.Length);
        var isString = record.DataKind == JsonTokenType.String;
        var text = isString ? token[1..^1] : token;
        var unescaped = true;
        if (isString && record.DataEscaped)
        {
            var reader = new Utf8JsonReader(token);
            reader.Read();
            if (_unescaped.Length < text.Length)
            {
                _unescaped = new byte[text.Length];
            }

            try
            {
                text = _unescaped.AsSpan(0, reader.CopyString(_unescaped));
            }
            catch (InvalidOperationException)
            {
                unescaped = false;
            }
        }

        var kind = isString ? "base64Text"u8 : "jsonValue"u8;
        if (record.DataCount > 1)
        {
            Reject(input, ref record, TransformErrorCode.DuplicateData, "the record has more than one \"data\" property.", text, kind);
        }
        else if (!isString)
        {
            Reject(input, ref record, TransformErrorCode.DataNotString, $"data is {RecordValidator.Kind(record.DataKind)}; expected a base64 string.", text, kind);
        }
        else if (!unescaped)
        {
            Reject(input, ref record, TransformErrorCode.InvalidBase64, "data is not valid base64: it has an escape that is not valid Unicode (an unpaired surrogate).", text, kind);
        }
        else if (text.IsEmpty)
        {
            Reject(input, ref record, TransformErrorCode.EmptyData, "data is empty; expected the base64 of one JSON record.", text, "base64Text"u8);
        }
        else if (!TryDecode(text, out var length))
        {
            Reject(input, ref record, TransformErrorCode.InvalidBase64, Base64Problem(text), text, "base64Text"u8);
        }
        else if (length > _maxRecordBytes)
        {
            Reject(input, ref record, TransformErrorCode.RecordTooLarge, Invariant($"data decodes to {length} bytes, more than the record limit of {_maxRecordBytes} bytes."), text, "base64Text"u8);
        }
        else if (_validator.Validate(_decoded.AsSpan(0, length), _now))
        {
            WriteOk(input, ref record);
        }
        else
        {
            WriteFailed(input, ref record);
            var codes = 0UL; // each code counts once per record
            foreach (var error in _validator.Errors)
            {
                codes |= 1UL << (int)error.Code;
            }

            for (var code = 0; codes != 0; code++, codes >>= 1)
            {
                _codeCounts[code] += (int)(codes & 1);
            }

            if (BeginRejectionLine(input, ref record, _decoded.AsSpan(0, length), "decodedData"u8) is { } line)
            {
                foreach (var error in _validator.Errors)
                {
                    WriteError(line, error.Field, CodeNames[(int)error.Code], error.Message);
                }

                EndRejectionLine(line);
            }
        }
    }

    /// <summary>
    /// Decodes strict base64 into <see cref="_decoded"/>. .NET's decoder skips whitespace, so a text with any decodes
    /// to fewer bytes than its length implies: that is refused, as are missing padding and non-zero pad bits.
    /// </summary>
    private bool TryDecode(ReadOnlySpan<byte> text, out int length)
    {
        length = 0;
        if (text.Length % 4 != 0)
        {
            return false;
        }

        var expected = (text.Length / 4 * 3) - (text[^1] != '=' ? 0 : text[^2] != '=' ? 1 : 2);
        if (_decoded.Length < expected)
        {
            _decoded = new byte[Math.Max(expected, 2 * _decoded.Length)];
        }

        return Base64.DecodeFromUtf8(text, _decoded, out _, out length) == OperationStatus.Done && length == expected;
    }

    private static string Base64Problem(ReadOnlySpan<byte> text)
    {
        var bad = text.IndexOfAnyExcept(Base64Characters);
        return bad >= 0
            ? Invariant($"data is not valid base64: byte 0x{text[bad]:X2} at offset {bad} is not in the base64 alphabet (A-Z, a-z, 0-9, +, / and = padding); whitespace and the URL-safe alphabet are not accepted.")
            : text.Length % 4 != 0
                ? Invariant($"data is not valid base64: its length {text.Length} is not a multiple of 4 (missing or extra '=' padding).")
                : "data is not valid base64: '=' padding before the end, or unused bits of the last character that are not zero.";
    }

    /// <summary>Writes the Ok answer in one piece: constants, the record id as it arrived, the base64 and the partition value.</summary>
    private void WriteOk(ReadOnlySpan<byte> input, ref EventRecord record)
    {
        var normalised = _validator.Normalised;
        var id = input.Slice(record.RecordId.Start, record.RecordId.Length);
        var span = _output.GetSpan(80 + id.Length + OkMetadata.Length + Base64.GetMaxEncodedToUtf8Length(normalised.Length));
        var length = Append(span, 0, _records > 0 ? ",{\"recordId\":"u8 : "{\"recordId\":"u8);
        length = Append(span, length, id);
        length = Append(span, length, ",\"result\":\"Ok\",\"data\":\""u8);
        Base64.EncodeToUtf8(normalised, span[length..], out _, out var encoded);
        length = Append(span, length + encoded, OkMetadata);

        length = Append(span, length, _validator.EventDate);
        length = Append(span, length, "\"}}}"u8);
        _output.Advance(length);
        _bytesOut += length;
        _ok++;
    }

    private void WriteFailed(ReadOnlySpan<byte> input, ref EventRecord record)
    {
        Write(_records > 0 ? ",{\"recordId\":"u8 : "{\"recordId\":"u8);
        Write(input.Slice(record.RecordId.Start, record.RecordId.Length));
        Write(",\"result\":\"ProcessingFailed\",\"data\":"u8);

        // The original data token, escapes and all; a value that is not a UTF-8 string cannot be echoed as one.
        var data = input.Slice(record.Data.Start, record.Data.Length);
        Write(record.DataKind == JsonTokenType.String && Utf8.IsValid(data) ? data : "\"\""u8);
        Write("}"u8);
    }

    /// <summary>Rejects a record for a problem with its data as a whole (the log error has no field).</summary>
    private void Reject(ReadOnlySpan<byte> input, ref EventRecord record, TransformErrorCode code, string message, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> rawKind)
    {
        WriteFailed(input, ref record);
        var index = RecordErrorCodes + (int)code;
        _codeCounts[index]++;
        if (BeginRejectionLine(input, ref record, raw, rawKind) is { } line)
        {
            WriteError(line, null, CodeNames[index], message);
            EndRejectionLine(line);
        }
    }

    /// <summary>Starts a rejection line, up to its errors array; null (the rejection counted as omitted) past the cap.</summary>
    private Utf8JsonWriter? BeginRejectionLine(ReadOnlySpan<byte> input, ref EventRecord record, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> rawKind)
    {
        if (_lineEnds.Count >= MaxRejectionLogLines)
        {
            _omittedLines++;
            return null;
        }

        var line = _lineWriter;
        line.Reset(_lines);
        line.WriteStartObject();
        line.WriteString("level"u8, "WARN"u8);
        line.WriteString("message"u8, "Firehose record rejected."u8);
        line.WriteString("event"u8, "firehose_record_rejected"u8);
        line.WriteNumber("recordIndex"u8, record.Index);
        line.WriteString("recordId"u8, Loggable(input, record.RecordId));
        line.WriteString("shardId"u8, Loggable(input, record.ShardId));
        line.WriteString("sequenceNumber"u8, Loggable(input, record.SequenceNumber));
        if (record.Arrival is { } arrival)
        {
            line.WriteNumber("approximateArrivalTimestamp"u8, arrival);
        }
        else
        {
            line.WriteNull("approximateArrivalTimestamp"u8);
        }

        // Joins the S3 error object's rawData (the record's base64 data) to this line.
        line.WriteString("rawSha256"u8, Convert.ToHexStringLower(SHA256.HashData(raw)));
        line.WriteString("rawSha256Of"u8, rawKind);
        line.WriteNumber("rawBytes"u8, raw.Length);
        line.WriteStartArray("errors"u8);
        return line;
    }

    private static void WriteError(Utf8JsonWriter line, string? field, string code, string message)
    {
        line.WriteStartObject();
        line.WriteString("field"u8, field);
        line.WriteString("code"u8, code);
        line.WriteString("message"u8, message);
        line.WriteEndObject();
    }

    private void EndRejectionLine(Utf8JsonWriter line)
    {
        line.WriteEndArray();
        line.WriteEndObject();
        line.Flush();
        _lineEnds.Add(_lines.WrittenCount);
    }

    /// <summary>Writes the held rejection lines, then the summary line.</summary>
    private void WriteLog(FirehoseTransformSummary summary)
    {
        var start = 0;
        foreach (var end in _lineEnds)
        {
            _log.WriteLine(Encoding.UTF8.GetString(_lines.WrittenSpan[start..end]));
            start = end;
        }

        var line = _lineWriter;
        line.Reset(_lines);
        line.WriteStartObject();
        line.WriteString("level"u8, "INFO"u8);
        line.WriteString("message"u8, "Firehose batch transformed."u8);
        line.WriteString("event"u8, "firehose_transform_summary"u8);
        line.WriteString("invocationId"u8, summary.InvocationId);
        line.WriteString("deliveryStreamArn"u8, summary.DeliveryStreamArn);
        line.WriteNumber("records"u8, summary.Records);
        line.WriteNumber("ok"u8, summary.Ok);
        line.WriteNumber("failed"u8, summary.Failed);
        line.WriteNumber("bytesIn"u8, summary.BytesIn);
        line.WriteNumber("bytesOut"u8, summary.BytesOut);
        line.WriteStartObject("failuresByCode"u8);
        foreach (var (code, count) in summary.FailuresByCode)
        {
            line.WriteNumber(code, count);
        }

        line.WriteEndObject();
        line.WriteNumber("rejectionLinesWritten"u8, summary.RejectionLinesWritten);
        line.WriteNumber("rejectionLinesOmitted"u8, summary.RejectionLinesOmitted);
        line.WriteNumber("elapsedMs"u8, Math.Round(summary.Elapsed.TotalMilliseconds, 3));
        line.WriteEndObject();
        line.Flush();
        _log.WriteLine(Encoding.UTF8.GetString(_lines.WrittenSpan[start..]));
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _bytesOut += bytes.Length;
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    /// <summary>The current value's place in the event, quotes included; a structure is skipped to its end.</summary>
    private static Token ValueToken(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return new Token(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>The current string token's place in the event; an empty token for any other value.</summary>
    private static Token StringToken(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? ValueToken(ref reader) : default;

    /// <summary>A string token's content between the quotes, escapes as written.</summary>
    private static ReadOnlySpan<byte> Content(ReadOnlySpan<byte> input, Token token) => input.Slice(token.Start + 1, token.Length - 2);

    /// <summary>An identifier for a log line, as written in the event, cut to <see cref="MaxLoggedIdentifierLength"/> characters; null when absent.</summary>
    private static string? Loggable(ReadOnlySpan<byte> input, Token token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(Content(input, token));
        if (text.Length <= MaxLoggedIdentifierLength)
        {
            return text;
        }

        var cut = MaxLoggedIdentifierLength - (char.IsHighSurrogate(text[MaxLoggedIdentifierLength - 1]) ? 1 : 0);
        return string.Concat(text.AsSpan(0, cut), "...");
    }

    private static FirehoseEventException Malformed(string problem) => new("Malformed Firehose event: " + problem);

    /// <summary>A token's place in the event: start offset and length in bytes, quotes included; length 0 means absent.</summary>
    private readonly record struct Token(int Start, int Length);

    /// <summary>What one record of the event holds.</summary>
    private struct EventRecord
    {
        public int Index;
        public Token RecordId;
        public Token Data;
        public JsonTokenType DataKind;
        public bool DataEscaped;
        public int DataCount;
        public Token ShardId;
        public Token SequenceNumber;
        public long? Arrival;
    }
}
