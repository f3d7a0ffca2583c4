using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Pipeline.Schema;
using static System.FormattableString;

namespace Pipeline.Ingestion;

/// <summary>
/// The Firehose data-transformation step (Kinesis Data Stream source): reads a Firehose invocation event, and for
/// each record decodes the base64 <c>data</c>, validates it against the schema, and answers <c>Ok</c> with the
/// normalised, Parquet-ready JSON and its partition key, or <c>ProcessingFailed</c> with the original data and the
/// reasons in the log. No Lambda or AWS types: the function is a thin wrapper around this class.
/// </summary>
/// <remarks>
/// <para>
/// Response: <c>{"records":[{"recordId":…,"result":"Ok","data":"&lt;base64&gt;","metadata":{"partitionKeys":{"event_date":"2026-11-21"}}},
/// {"recordId":…,"result":"ProcessingFailed","data":"&lt;original base64&gt;"}]}</c>: every input record exactly
/// once, in input order, its <c>recordId</c> echoed byte for byte. See <see cref="NormalisedRecordWriter"/> for the
/// normalised form.
/// </para>
/// <para>
/// Rejected records: invalid base64 (<see cref="StrictBase64"/>), empty data, data that is not a string, a decoded
/// record over <see cref="FirehoseTransformerOptions.MaxRecordBytes"/>, a UTF-8 byte-order mark, and every schema
/// error (<see cref="RecordValidator"/>). Each gets one JSON log line (up to
/// <see cref="FirehoseTransformerOptions.MaxRejectionLogLines"/> per invocation) with the record's identifiers, the
/// SHA-256 of its raw bytes and its errors; each invocation ends with a summary line.
/// </para>
/// <para>
/// A malformed event (not JSON, no <c>records</c> array, a record that is not an object or lacks <c>recordId</c> or
/// <c>data</c>, a <c>recordId</c> that is not a string) cannot be answered record by record and throws
/// <see cref="FirehoseEventException"/>.
/// </para>
/// <para>
/// Response size: a Kinesis-source record arrives as <c>recordId</c>, <c>approximateArrivalTimestamp</c>, <c>data</c>
/// and <c>kinesisRecordMetadata</c> (about 230 bytes besides the data and id); it is answered with <c>recordId</c>,
/// <c>result</c>, <c>data</c> and, when Ok, <c>metadata</c> (about 100 bytes besides them). A rejected record echoes
/// its data; a normalised record is never longer than the input except where numbers or timestamps are spelled
/// shorter than their normal form (<c>1e5</c> is written <c>100000</c>, <c>…T10:15Z</c> as <c>… 10:15:00.000</c>):
/// for the telemetry schema at most about 15 bytes, 20 after base64, far less than the envelope it saves, so a
/// response is always smaller than its event and fits Lambda's 6 MB. The bound is checked anyway: a response over
/// <see cref="FirehoseTransformerOptions.MaxOutputBytes"/> throws <see cref="FirehoseOutputTooLargeException"/>.
/// </para>
/// <para>
/// Memory: the event is read once, in place; every buffer (decoded record, normalised record, validator values,
/// log lines) is kept and reused, so a warm instance allocates only the errors of rejected records, their log lines
/// and the summary. An instance is therefore not thread-safe: use one per concurrent caller (Lambda runs one
/// invocation at a time per instance).
/// </para>
/// </remarks>
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "Its Utf8JsonWriter writes to an in-memory IBufferWriter: disposing would only flush, and the writer is reused for the instance's lifetime.")]
public sealed class FirehoseTransformer
{
    /// <summary>The longest identifier (recordId, shardId, ...) written to a log line; longer ones are cut with "...".</summary>
    public const int MaxLoggedIdentifierLength = 256;

    private const int MaxEnvelopeDepth = 64;

    private static readonly JsonReaderOptions EnvelopeReaderOptions = new()
    {
        MaxDepth = MaxEnvelopeDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly JsonEncodedText RecordsName = JsonEncodedText.Encode("records");
    private static readonly JsonEncodedText RecordIdName = JsonEncodedText.Encode("recordId");
    private static readonly JsonEncodedText ResultName = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText FailedResult = JsonEncodedText.Encode("ProcessingFailed");

    private static readonly byte[] OkStart = "{\"recordId\":"u8.ToArray();
    private static readonly byte[] OkData = ",\"result\":\"Ok\",\"data\":\""u8.ToArray();
    private static readonly byte[] OkEnd = "\"}}}"u8.ToArray();

    private static readonly int RecordErrorCodeCount = Enum.GetValues<RecordErrorCode>().Length;

    /// <summary>Code names, validator codes first, then transform codes: the index space of <see cref="_codeCounts"/>.</summary>
    private static readonly string[] CodeNames =
    [
        .. Enum.GetValues<RecordErrorCode>().Select(c => c.ToString()),
        .. Enum.GetValues<TransformErrorCode>().Select(c => c.ToString()),
    ];

    private readonly TimeProvider _time;
    private readonly RecordValidator _validator;
    private readonly RecordBuffer _record;
    private readonly NormalisedRecordWriter _normaliser;
    private readonly TransformLog _log;
    private readonly int _maxRecordBytes;
    private readonly int _maxOutputBytes;
    private readonly int[] _codeCounts = new int[CodeNames.Length];
    private readonly byte[] _okMetadata;
    private readonly byte[] _partitionValue = new byte[10];

    // Buffers kept between invocations: the response writer, the unescaped and decoded data of the current record,
    // the record's answer, and the partition value of the last day seen.
    private Utf8JsonWriter? _output;
    private byte[] _unescaped = new byte[4096];
    private byte[] _decoded = new byte[4096];
    private byte[] _answer = new byte[4096];
    private long _partitionDay = -1;

    // The state of the current invocation.
    private DateTimeOffset _now;
    private int _records;
    private int _ok;
    private int _failed;

    /// <summary>Creates a transformer.</summary>
    /// <param name="timeProvider">The clock: "now" for the event-time window (read once per invocation) and elapsed time.</param>
    /// <param name="log">Where log lines go, one JSON object per line (the function passes <see cref="Console.Out"/>).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> or <paramref name="log"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FirehoseTransformer(TimeProvider timeProvider, TextWriter log, FirehoseTransformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(log);
        options ??= new FirehoseTransformerOptions();
        options.Check();
        Options = options;
        _time = timeProvider;
        _validator = new RecordValidator(options.Schema);
        _record = new RecordBuffer(options.Schema);
        _normaliser = new NormalisedRecordWriter(options.Schema);
        _log = new TransformLog(log, options.MaxRejectionLogLines);
        _okMetadata = Encoding.UTF8.GetBytes(
            "\",\"metadata\":{\"partitionKeys\":{\"" + options.Schema.PartitionKey + "\":\"");
        _maxRecordBytes = options.MaxRecordBytes;
        _maxOutputBytes = options.MaxOutputBytes;
    }

    /// <summary>The settings in force.</summary>
    public FirehoseTransformerOptions Options { get; }

    /// <summary>The schema records are validated against.</summary>
    public RecordSchema Schema => _validator.Schema;

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
        _now = _time.GetUtcNow();
        _records = 0;
        _ok = 0;
        _failed = 0;
        Array.Clear(_codeCounts);
        _log.Reset();
        if (_output is null)
        {
            // The response's structure is fixed by this class (and checked by its tests): the writer's own
            // structure validation would only cost time on every property.
            _output = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = true });
        }
        else
        {
            _output.Reset(output);
        }

        var envelope = default(EventFields);
        var reader = new Utf8JsonReader(utf8Event, EnvelopeReaderOptions);
        try
        {
            ReadEvent(ref reader, utf8Event, ref envelope);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var position = (ex.BytePositionInLine ?? 0) + 1;
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var reason = DisplayText.Sanitize((cut >= 0 ? message[..cut] : message).TrimEnd(' ', '.'));
            throw new FirehoseEventException(
                Invariant($"Malformed Firehose event: not valid JSON at line {line}, byte {position}: {reason}."),
                ex);
        }

        _output.Flush();
        var bytesOut = _output.BytesCommitted;
        if (bytesOut > _maxOutputBytes)
        {
            throw new FirehoseOutputTooLargeException(Invariant(
                $"The response for {_records} records would be {bytesOut} bytes, more than the {_maxOutputBytes}-byte limit (the event was {utf8Event.Length} bytes). Lower the Firehose processing buffer size."));
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
            InvocationId = envelope.InvocationId.IsEmpty ? null : ReadLoggable(utf8Event, envelope.InvocationId),
            DeliveryStreamArn = envelope.DeliveryStreamArn.IsEmpty ? null : ReadLoggable(utf8Event, envelope.DeliveryStreamArn),
            Records = _records,
            Ok = _ok,
            Failed = _failed,
            BytesIn = utf8Event.Length,
            BytesOut = bytesOut,
            FailuresByCode = failures,
            RejectionLinesWritten = _log.RejectionLinesWritten,
            RejectionLinesOmitted = _log.RejectionLinesOmitted,
            Elapsed = _time.GetElapsedTime(started),
        };
        _log.Emit(writer => WriteSummary(writer, summary));
        return summary;
    }

    private static void WriteSummary(Utf8JsonWriter writer, FirehoseTransformSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString("event"u8, "firehose_transform_summary"u8);
        writer.WriteString("invocationId"u8, summary.InvocationId);
        writer.WriteString("deliveryStreamArn"u8, summary.DeliveryStreamArn);
        writer.WriteNumber("records"u8, summary.Records);
        writer.WriteNumber("ok"u8, summary.Ok);
        writer.WriteNumber("failed"u8, summary.Failed);
        writer.WriteNumber("bytesIn"u8, summary.BytesIn);
        writer.WriteNumber("bytesOut"u8, summary.BytesOut);
        writer.WriteStartObject("failuresByCode"u8);
        foreach (var (code, count) in summary.FailuresByCode)
        {
            writer.WriteNumber(code, count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("rejectionLinesWritten"u8, summary.RejectionLinesWritten);
        writer.WriteNumber("rejectionLinesOmitted"u8, summary.RejectionLinesOmitted);
        writer.WriteNumber("elapsedMs"u8, Math.Round(summary.Elapsed.TotalMilliseconds, 3));
        writer.WriteEndObject();
    }

    // ---- the event ----

    private void ReadEvent(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, ref EventFields fields)
    {
        if (!reader.Read())
        {
            throw Malformed("the event is empty; expected a JSON object with a \"records\" array.");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"the event must be a JSON object; found {Kind(reader.TokenType)}.");
        }

        var sawRecords = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("records"u8))
            {
                if (sawRecords)
                {
                    throw Malformed("\"records\" appears more than once.");
                }

                sawRecords = true;
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw Malformed($"\"records\" must be an array; found {Kind(reader.TokenType)}.");
                }

                ReadRecords(ref reader, input);
            }
            else if (reader.ValueTextEquals("invocationId"u8))
            {
                reader.Read();
                fields.InvocationId = StringToken(ref reader);
            }
            else if (reader.ValueTextEquals("deliveryStreamArn"u8))
            {
                reader.Read();
                fields.DeliveryStreamArn = StringToken(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // With a single-value reader, content after the object throws a JsonException here.
        reader.Read();
        if (!sawRecords)
        {
            throw Malformed("the event has no \"records\" array.");
        }
    }

    private void ReadRecords(ref Utf8JsonReader reader, ReadOnlySpan<byte> input)
    {
        var output = _output!;
        output.WriteStartObject();
        output.WriteStartArray(RecordsName);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed($"records[{_records}] must be an object; found {Kind(reader.TokenType)}.");
            }

            var record = new RecordFields { Index = _records };
            ReadRecord(ref reader, input, ref record);
            Answer(input, ref record);
            _records++;
        }

        output.WriteEndArray();
        output.WriteEndObject();
    }

    private void ReadRecord(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, ref RecordFields record)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = RecordPropertyOf(ref reader);
            if (name == RecordProperty.RecordId)
            {
                reader.Read();
                if (!record.RecordId.IsEmpty)
                {
                    throw Malformed($"records[{record.Index}] has more than one \"recordId\".");
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    throw Malformed($"records[{record.Index}].recordId must be a string; found {Kind(reader.TokenType)}.");
                }

                if (!Utf8.IsValid(reader.ValueSpan))
                {
                    throw Malformed($"records[{record.Index}].recordId is not valid UTF-8.");
                }

                record.RecordId = StringToken(ref reader);
            }
            else if (name == RecordProperty.Data)
            {
                reader.Read();
                ReadData(ref reader, ref record);
            }
            else if (name == RecordProperty.ApproximateArrivalTimestamp)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var arrival))
                {
                    record.HasArrival = true;
                    record.Arrival = arrival;
                }

                reader.Skip();
            }
            else if (name == RecordProperty.KinesisRecordMetadata)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadKinesisMetadata(ref reader, ref record);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (record.RecordId.IsEmpty)
        {
            throw Malformed($"records[{record.Index}] has no \"recordId\"; a record cannot be answered without it.");
        }

        if (record.Data == DataKind.Missing)
        {
            throw Malformed(
                $"records[{record.Index}] (recordId {DisplayText.Escaped(Content(input, record.RecordId))}) has no \"data\".");
        }
    }

    private static void ReadKinesisMetadata(ref Utf8JsonReader reader, ref RecordFields record)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = RecordPropertyOf(ref reader);
            if (name == RecordProperty.ShardId)
            {
                reader.Read();
                record.ShardId = StringToken(ref reader);
            }
            else if (name == RecordProperty.SequenceNumber)
            {
                reader.Read();
                record.SequenceNumber = StringToken(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Reads the data token: decodes a string into <see cref="_decoded"/> or records why it cannot be.</summary>
    private void ReadData(ref Utf8JsonReader reader, ref RecordFields record)
    {
        if (record.Data != DataKind.Missing)
        {
            record.DuplicateData = true;
            reader.Skip();
            return;
        }

        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.String)
        {
            record.Data = DataKind.NotString;
            record.DataKindText = Kind(reader.TokenType);
            reader.Skip();
            record.DataToken = new TokenRange(start, (int)reader.BytesConsumed - start);
            return;
        }

        record.Data = DataKind.String;
        record.DataToken = new TokenRange(start, reader.ValueSpan.Length + 2);
        scoped ReadOnlySpan<byte> text = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            EnsureCapacity(ref _unescaped, text.Length);
            try
            {
                text = _unescaped.AsSpan(0, reader.CopyString(_unescaped));
                record.TextUnescaped = true;
                record.TextLength = text.Length;
            }
            catch (InvalidOperationException)
            {
                record.Fail(
                    TransformErrorCode.InvalidBase64,
                    "data is not valid base64: it contains an escape sequence that is not valid Unicode (an unpaired surrogate).");
                return;
            }
        }

        if (text.IsEmpty)
        {
            record.Fail(TransformErrorCode.EmptyData, "data is empty; expected the base64 of one JSON record.");
            return;
        }

        var decodedLength = StrictBase64.DecodedLength(text);
        if (decodedLength >= 0 && decodedLength <= _maxRecordBytes)
        {
            EnsureCapacity(ref _decoded, decodedLength);
            if (StrictBase64.TryDecode(text, decodedLength, _decoded))
            {
                record.Decoded = true;
                record.DecodedLength = decodedLength;
                return;
            }
        }

        // Not decoded: say why. Malformed text first; then size; else the pad bits.
        var problem = StrictBase64.Check(text, out decodedLength);
        if (problem is null && decodedLength > _maxRecordBytes)
        {
            record.Fail(
                TransformErrorCode.RecordTooLarge,
                Invariant($"data decodes to {decodedLength} bytes, more than the record limit of {_maxRecordBytes} bytes."));
            return;
        }

        record.Fail(
            TransformErrorCode.InvalidBase64,
            problem ?? StrictBase64.Decode(text, _decoded, out _) ?? "data is not valid base64.");
    }

    /// <summary>
    /// Which known property of a record (or of its Kinesis metadata) the current property name is: told apart by
    /// length first, then compared byte for byte (escaped names are unescaped by the reader's comparison).
    /// </summary>
    private static RecordProperty RecordPropertyOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.ValueTextEquals("recordId"u8) ? RecordProperty.RecordId
                : reader.ValueTextEquals("data"u8) ? RecordProperty.Data
                : reader.ValueTextEquals("approximateArrivalTimestamp"u8) ? RecordProperty.ApproximateArrivalTimestamp
                : reader.ValueTextEquals("kinesisRecordMetadata"u8) ? RecordProperty.KinesisRecordMetadata
                : reader.ValueTextEquals("shardId"u8) ? RecordProperty.ShardId
                : reader.ValueTextEquals("sequenceNumber"u8) ? RecordProperty.SequenceNumber
                : RecordProperty.Other;
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            4 when name.SequenceEqual("data"u8) => RecordProperty.Data,
            7 when name.SequenceEqual("shardId"u8) => RecordProperty.ShardId,
            8 when name.SequenceEqual("recordId"u8) => RecordProperty.RecordId,
            14 when name.SequenceEqual("sequenceNumber"u8) => RecordProperty.SequenceNumber,
            21 when name.SequenceEqual("kinesisRecordMetadata"u8) => RecordProperty.KinesisRecordMetadata,
            27 when name.SequenceEqual("approximateArrivalTimestamp"u8) => RecordProperty.ApproximateArrivalTimestamp,
            _ => RecordProperty.Other,
        };
    }

    // ---- answering a record ----

    private void Answer(ReadOnlySpan<byte> input, ref RecordFields record)
    {
        if (record.DuplicateData)
        {
            Reject(input, ref record, TransformErrorCode.DuplicateData, "the record has more than one \"data\" property.");
        }
        else if (record.Data == DataKind.NotString)
        {
            Reject(input, ref record, TransformErrorCode.DataNotString, $"data is {record.DataKindText}; expected a base64 string.");
        }
        else if (!record.Decoded)
        {
            Reject(input, ref record, record.ErrorCode, record.ErrorMessage!);
        }
        else
        {
            var decoded = _decoded.AsSpan(0, record.DecodedLength);
            if (decoded.StartsWith("\uFEFF"u8))
            {
                RejectWith(
                    input,
                    ref record,
                    Index(RecordErrorCode.InvalidJson),
                    "record starts with a UTF-8 byte-order mark (EF BB BF); expected JSON without one.");
            }
            else if (_validator.Validate(decoded, _now, _record))
            {
                WriteOk(input, ref record);
            }
            else
            {
                RejectInvalid(input, ref record);
            }
        }
    }

    private void WriteOk(ReadOnlySpan<byte> input, ref RecordFields record)
    {
        var normalised = _normaliser.Write(_record, _decoded.AsSpan(0, record.DecodedLength));

        // The partition value (RecordSchema.PartitionValue: the UTC date, yyyy-MM-dd), formatted once per day seen.
        var utc = _record.EventTime!.Value.UtcDateTime;
        var day = utc.Ticks / TimeSpan.TicksPerDay;
        if (day != _partitionDay)
        {
            NormalisedRecordWriter.FormatDate(utc, _partitionValue);
            _partitionDay = day;
        }

        // The whole record object is built here and handed to the writer as one raw value: the parts are constants,
        // the record id as it arrived, the base64 (encoded in place) and the partition value, so the writer's
        // per-property work (separators, depth, escaping checks) is not needed.
        var id = Slice(input, record.RecordId);
        var base64Length = Base64.GetMaxEncodedToUtf8Length(normalised.Length);
        var size = OkStart.Length + id.Length + OkData.Length + base64Length + _okMetadata.Length + 10 + OkEnd.Length;
        EnsureCapacity(ref _answer, size);
        var answer = _answer.AsSpan();
        var length = Append(answer, 0, OkStart);
        length = Append(answer, length, id);
        length = Append(answer, length, OkData);
        Base64.EncodeToUtf8(normalised, answer[length..], out _, out var encoded);
        length = Append(answer, length + encoded, _okMetadata);
        length = Append(answer, length, _partitionValue);
        length = Append(answer, length, OkEnd);
        _output!.WriteRawValue(answer[..length], skipInputValidation: true);
        _ok++;
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    private void WriteFailed(ReadOnlySpan<byte> input, ref RecordFields record)
    {
        var output = _output!;
        output.WriteStartObject();
        output.WritePropertyName(RecordIdName);
        output.WriteRawValue(Slice(input, record.RecordId), skipInputValidation: true);
        output.WriteString(ResultName, FailedResult);
        output.WritePropertyName(DataName);

        // The original data, byte for byte; a value that is not a string (or not UTF-8) cannot be echoed as one.
        var original = record.Data == DataKind.String ? Slice(input, record.DataToken) : default;
        if (!original.IsEmpty && Utf8.IsValid(original))
        {
            output.WriteRawValue(original, skipInputValidation: true);
        }
        else
        {
            output.WriteStringValue(ReadOnlySpan<byte>.Empty);
        }

        output.WriteEndObject();
        _failed++;
    }

    private void Reject(ReadOnlySpan<byte> input, ref RecordFields record, TransformErrorCode code, string message) =>
        RejectWith(input, ref record, RecordErrorCodeCount + (int)code, message);

    /// <summary>Rejects a record for one problem with the record as a whole (its log error has no field).</summary>
    private void RejectWith(ReadOnlySpan<byte> input, ref RecordFields record, int codeIndex, string message)
    {
        WriteFailed(input, ref record);
        _codeCounts[codeIndex]++;
        var writer = BeginRejection(input, ref record);
        if (writer is null)
        {
            return;
        }

        WriteError(writer, null, CodeNames[codeIndex], message);
        EndRejection(writer);
    }

    private void RejectInvalid(ReadOnlySpan<byte> input, ref RecordFields record)
    {
        WriteFailed(input, ref record);
        var errors = _record.Errors;
        ulong seen = 0;
        foreach (var error in errors)
        {
            var index = Index(error.Code);
            if ((seen & (1UL << index)) == 0)
            {
                seen |= 1UL << index;
                _codeCounts[index]++;
            }
        }

        var writer = BeginRejection(input, ref record);
        if (writer is null)
        {
            return;
        }

        foreach (var error in errors)
        {
            WriteError(writer, error.Field, CodeNames[Index(error.Code)], error.Message);
        }

        EndRejection(writer);
    }

    /// <summary>Starts the rejection line (up to the errors array), or returns null when the line cap is reached.</summary>
    private Utf8JsonWriter? BeginRejection(ReadOnlySpan<byte> input, ref RecordFields record)
    {
        var writer = _log.BeginRejectionLine();
        if (writer is null)
        {
            return null;
        }

        writer.WriteStartObject();
        writer.WriteString("event"u8, "firehose_record_rejected"u8);
        writer.WriteNumber("recordIndex"u8, record.Index);
        writer.WriteString("recordId"u8, ReadLoggable(input, record.RecordId));
        writer.WriteString("shardId"u8, record.ShardId.IsEmpty ? null : ReadLoggable(input, record.ShardId));
        writer.WriteString(
            "sequenceNumber"u8,
            record.SequenceNumber.IsEmpty ? null : ReadLoggable(input, record.SequenceNumber));
        if (record.HasArrival)
        {
            writer.WriteNumber("approximateArrivalTimestamp"u8, record.Arrival);
        }
        else
        {
            writer.WriteNull("approximateArrivalTimestamp"u8);
        }

        // What the hash is of: the decoded record when decoding worked, else the data text, else the JSON value.
        ReadOnlySpan<byte> raw;
        ReadOnlySpan<byte> rawKind;
        if (record.Decoded)
        {
            raw = _decoded.AsSpan(0, record.DecodedLength);
            rawKind = "decodedData"u8;
        }
        else if (record.Data == DataKind.String)
        {
            raw = record.TextUnescaped ? _unescaped.AsSpan(0, record.TextLength) : Content(input, record.DataToken);
            rawKind = "base64Text"u8;
        }
        else
        {
            raw = Slice(input, record.DataToken);
            rawKind = "jsonValue"u8;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(raw, hash);
        writer.WriteString("rawSha256"u8, Convert.ToHexStringLower(hash));
        writer.WriteString("rawSha256Of"u8, rawKind);
        writer.WriteNumber("rawBytes"u8, raw.Length);
        writer.WriteStartArray("errors"u8);
        return writer;
    }

    private void EndRejection(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
        _log.EndRejectionLine();
    }

    private static void WriteError(Utf8JsonWriter writer, string? field, string code, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("field"u8, field);
        writer.WriteString("code"u8, code);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
    }

    // ---- helpers ----

    private static int Index(RecordErrorCode code) => (int)code;

    /// <summary>The range of the current string token, quotes included; an empty range for any other token.</summary>
    private static TokenRange StringToken(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
            ? new TokenRange((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2)
            : default;

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> input, TokenRange range) =>
        input.Slice(range.Start, range.Length);

    /// <summary>The content of a string token, between the quotes, escapes as written.</summary>
    private static ReadOnlySpan<byte> Content(ReadOnlySpan<byte> input, TokenRange range) =>
        input.Slice(range.Start + 1, range.Length - 2);

    /// <summary>
    /// Unescapes a string token for a log line, cut to <see cref="MaxLoggedIdentifierLength"/> characters; text that is
    /// not valid Unicode is shown with replacement characters or its escapes as written.
    /// </summary>
    private static string ReadLoggable(ReadOnlySpan<byte> input, TokenRange range)
    {
        var token = Slice(input, range);
        string text;
        try
        {
            var reader = new Utf8JsonReader(token);
            reader.Read();
            text = reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            text = Encoding.UTF8.GetString(token[1..^1]);
        }

        if (text.Length <= MaxLoggedIdentifierLength)
        {
            return text;
        }

        var cut = MaxLoggedIdentifierLength;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "...");
    }

    private static void EnsureCapacity(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, Math.Min(Array.MaxLength, (long)buffer.Length * 2))];
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private static FirehoseEventException Malformed(string problem) => new("Malformed Firehose event: " + problem);


    /// <summary>A token's place in the event: start offset and length in bytes; length 0 means absent.</summary>
    private readonly record struct TokenRange(int Start, int Length)
    {
        public bool IsEmpty => Length == 0;
    }

    private enum RecordProperty
    {
        Other,
        RecordId,
        Data,
        ApproximateArrivalTimestamp,
        KinesisRecordMetadata,
        ShardId,
        SequenceNumber,
    }

    private enum DataKind
    {
        Missing,
        String,
        NotString,
    }

    /// <summary>The top-level properties kept for the summary.</summary>
    private struct EventFields
    {
        public TokenRange InvocationId;
        public TokenRange DeliveryStreamArn;
    }

    /// <summary>What one record of the event holds, as token ranges, and the outcome of decoding its data.</summary>
    private struct RecordFields
    {
        public int Index;
        public TokenRange RecordId;
        public TokenRange ShardId;
        public TokenRange SequenceNumber;
        public bool HasArrival;
        public long Arrival;
        public DataKind Data;
        public TokenRange DataToken;
        public string? DataKindText;
        public bool DuplicateData;
        public bool TextUnescaped;
        public int TextLength;
        public bool Decoded;
        public int DecodedLength;
        public TransformErrorCode ErrorCode;
        public string? ErrorMessage;

        public void Fail(TransformErrorCode code, string message)
        {
            ErrorCode = code;
            ErrorMessage = message;
        }
    }
}
