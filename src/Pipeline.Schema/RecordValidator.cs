using System.Buffers;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipeline.Schema;

/// <summary>
/// Validates one JSON record against a <see cref="RecordSchema"/> and extracts its typed values: the hot path of the
/// Firehose transformation, so it reads the UTF-8 bytes in a single forward pass with <see cref="Utf8JsonReader"/>,
/// builds no DOM and allocates only the result, its values array, the strings of string fields and, for an invalid
/// record, its errors.
/// </summary>
/// <remarks>
/// <para>
/// The contract is strict: the input must be exactly one JSON object (whitespace around it is fine) whose properties
/// are fields of the schema, each at most once, with the JSON type of the field (no coercion: <c>"1"</c> is not a
/// number, <c>1</c> is not a boolean). A <c>null</c> optional field counts as absent; a <c>null</c> required field as
/// missing. All errors of a record are reported (up to <see cref="MaxErrorsPerRecord"/>), each naming the field, the
/// bad value and what is allowed.
/// </para>
/// <para>
/// Strings: any valid Unicode is accepted, escaped or not; lengths count Unicode scalar values (runes), so an emoji
/// written as a surrogate pair counts once. Integers (<see cref="FieldType.Long"/>) may use exponent or fraction
/// notation when the value is whole (<c>1e3</c>, <c>2.0</c>) and are converted exactly. Timestamps need an explicit
/// offset and are normalised to UTC.
/// </para>
/// <para>
/// The validator never throws for any input bytes, and is thread-safe: one instance can serve concurrent calls.
/// </para>
/// </remarks>
public sealed class RecordValidator
{
    /// <summary>The most errors reported for one record; any further ones are counted in a final <see cref="RecordErrorCode.TooManyErrors"/>.</summary>
    public const int MaxErrorsPerRecord = 50;

    /// <summary>
    /// The deepest nesting read: a field value may be an object or array (reported as
    /// <see cref="RecordErrorCode.WrongType"/>) nested up to this depth; deeper input is <see cref="RecordErrorCode.InvalidJson"/>.
    /// </summary>
    public const int MaxDepth = 16;

    /// <summary>Strings up to this many bytes are unescaped and transcoded on the stack; longer ones use pooled arrays.</summary>
    private const int StackBufferBytes = 256;

    /// <summary>Schemas with up to this many fields keep their seen-flags on the stack.</summary>
    private const int StackFieldFlags = 64;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private readonly CompiledField[] _fields;

    /// <summary>Creates a validator for a schema.</summary>
    /// <param name="schema">The schema records must follow.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    public RecordValidator(RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _fields = schema.Compiled;
    }

    /// <summary>The schema records are validated against.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Validates one record.</summary>
    /// <param name="utf8Json">The record: one JSON object in UTF-8 (without a byte-order mark).</param>
    /// <param name="now">
    /// The current time; event times later than <paramref name="now"/> + <see cref="RecordSchema.MaxFutureSkew"/> are rejected.
    /// </param>
    /// <returns>The errors, or the typed values, event time and partition value of a valid record.</returns>
    public RecordValidationResult Validate(ReadOnlySpan<byte> utf8Json, DateTimeOffset now)
    {
        var values = new FieldValue[_fields.Length];
        Span<bool> seen = _fields.Length <= StackFieldFlags ? stackalloc bool[StackFieldFlags] : new bool[_fields.Length];
        seen = seen[.._fields.Length];
        seen.Clear();

        var pass = new Pass(Schema, _fields, utf8Json, now, values, seen, sink: null);
        pass.Run();
        return new RecordValidationResult(Schema, values, pass.TakeErrors(), pass.EventTime);
    }

    /// <summary>
    /// Validates one record into a caller-supplied, reusable buffer: the same checks, errors and values as
    /// <see cref="Validate(ReadOnlySpan{byte}, DateTimeOffset)"/>, but string values are kept as UTF-8 in the buffer,
    /// so a valid record allocates nothing (an invalid one allocates only its errors).
    /// </summary>
    /// <param name="utf8Json">The record: one JSON object in UTF-8 (without a byte-order mark).</param>
    /// <param name="now">
    /// The current time; event times later than <paramref name="now"/> + <see cref="RecordSchema.MaxFutureSkew"/> are rejected.
    /// </param>
    /// <param name="destination">The buffer that receives the outcome; its previous contents are replaced.</param>
    /// <returns>Whether the record is valid (<see cref="RecordBuffer.IsValid"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> was made for another schema.</exception>
    public bool Validate(ReadOnlySpan<byte> utf8Json, DateTimeOffset now, RecordBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!ReferenceEquals(destination.Schema, Schema))
        {
            throw new ArgumentException(
                $"The buffer was made for schema '{destination.Schema.Name}', not for this validator's schema '{Schema.Name}'.",
                nameof(destination));
        }

        destination.Reset();
        Span<bool> seen = _fields.Length <= StackFieldFlags ? stackalloc bool[StackFieldFlags] : new bool[_fields.Length];
        seen = seen[.._fields.Length];
        seen.Clear();

        var pass = new Pass(Schema, _fields, utf8Json, now, destination.Values, seen, destination);
        pass.Run();
        pass.CompleteErrors();
        destination.Complete(pass.EventTime, pass.IsPlainCompact);
        return destination.IsValid;
    }

    /// <summary>The state of one validation: the reader, the values found and the errors.</summary>
    private ref struct Pass
    {
        private readonly RecordSchema _schema;
        private readonly CompiledField[] _fields;
        private readonly ReadOnlySpan<byte> _input;
        private readonly DateTimeOffset _now;
        private readonly Span<FieldValue> _values;
        private readonly Span<bool> _seen;
        private readonly RecordBuffer? _sink;
        private Utf8JsonReader _reader;
        private List<RecordError>? _errors;
        private int _omitted;
        private int _nextOrdinal;

        // The shape of the record, tracked into a buffer only (see RecordBuffer.IsPlainCompact).
        private bool _plain;
        private int _lastOrdinal;
        private long _tokenBytes;
        private int _properties;

        public Pass(
            RecordSchema schema,
            CompiledField[] fields,
            ReadOnlySpan<byte> input,
            DateTimeOffset now,
            Span<FieldValue> values,
            Span<bool> seen,
            RecordBuffer? sink)
        {
            _schema = schema;
            _fields = fields;
            _input = input;
            _now = now;
            _values = values;
            _seen = seen;
            _sink = sink;
            _errors = sink?.ErrorList;
            _reader = new Utf8JsonReader(input, ReaderOptions);
            _plain = true;
            _lastOrdinal = -1;
        }

        public DateTimeOffset? EventTime { get; private set; }

        /// <summary>
        /// Whether the record is compact JSON with its fields in schema order, no escapes and no nulls (see
        /// <see cref="RecordBuffer.IsPlainCompact"/>); only tracked when validating into a buffer.
        /// </summary>
        public bool IsPlainCompact { get; private set; }

        public void Run()
        {
            if (_input.IndexOfAnyExcept(" \t\r\n"u8) < 0)
            {
                AddFatal(RecordErrorCode.InvalidJson, "record is not valid JSON: the input is empty.");
                return;
            }

            try
            {
                ReadRecord();
            }
            catch (JsonException ex)
            {
                // Malformed or truncated JSON, content after the object, or nesting deeper than MaxDepth.
                var line = (ex.LineNumber ?? 0) + 1;
                var position = (ex.BytePositionInLine ?? 0) + 1;
                AddFatal(
                    RecordErrorCode.InvalidJson,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"record is not valid JSON at line {line}, byte {position}: {Reason(ex.Message)}."));
            }
            catch (InvalidOperationException ex)
            {
                // Not expected (string decoding failures are handled where they occur), but the contract is that
                // no input makes the validator throw.
                AddFatal(
                    RecordErrorCode.InvalidJson,
                    $"record is not valid JSON: it could not be decoded: {Reason(ex.Message)}.");
            }
        }

        public ReadOnlyCollection<RecordError> TakeErrors()
        {
            CompleteErrors();
            return _errors is null || _errors.Count == 0 ? ReadOnlyCollection<RecordError>.Empty : _errors.AsReadOnly();
        }

        /// <summary>Adds the final <see cref="RecordErrorCode.TooManyErrors"/> error when errors were left out.</summary>
        public readonly void CompleteErrors()
        {
            if (_omitted > 0)
            {
                _errors!.Add(new RecordError(
                    null,
                    RecordErrorCode.TooManyErrors,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"record has more than {MaxErrorsPerRecord} errors; {_omitted} more were left out.")));
            }
        }

        private static string Reason(string message)
        {
            // System.Text.Json appends " LineNumber: 0 | BytePositionInLine: 3." (and a path); the position is
            // already in our message.
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var reason = (cut >= 0 ? message[..cut] : message).TrimEnd(' ', '.');
            return DisplayText.Sanitize(reason);
        }

        private void ReadRecord()
        {
            _reader.Read();
            if (_reader.TokenType != JsonTokenType.StartObject)
            {
                var (line, position) = DisplayText.Position(_input, _reader.TokenStartIndex);
                AddFatal(
                    RecordErrorCode.NotAnObject,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"record must be a JSON object; found {Kind(_reader.TokenType)} at line {line}, byte {position}."));
                return;
            }

            while (true)
            {
                _reader.Read();
                if (_reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                // The reader guarantees a property name here. A name that matches a field is ASCII, so only the
                // others need their UTF-8 checked.
                var rawName = _reader.ValueSpan;
                var nameEscaped = _reader.ValueIsEscaped;
                var field = ResolveField();
                if (field is null && !CheckUtf8())
                {
                    return;
                }

                _reader.Read();
                if (_sink is not null)
                {
                    TrackShape(field, rawName.Length, nameEscaped);
                }

                bool ok;
                if (field is null)
                {
                    ReportUnknown(rawName);
                    ok = SkipValue();
                }
                else if (_seen[field.Ordinal])
                {
                    Report(
                        field,
                        RecordErrorCode.DuplicateField,
                        $"{field.Name}: field appears more than once; each field is allowed once.");
                    ok = SkipValue();
                }
                else
                {
                    _seen[field.Ordinal] = true;
                    ok = ReadValue(field);
                }

                if (!ok)
                {
                    return;
                }
            }

            foreach (var field in _fields)
            {
                if (field.Required && !_seen[field.Ordinal])
                {
                    Report(field, RecordErrorCode.MissingField, $"{field.Name}: required field is missing.");
                }
            }

            // Compact: the input is exactly '{', the properties with one ':' each, the ',' between them and '}'.
            // Whitespace anywhere (around or inside the object) would make it longer.
            IsPlainCompact = _plain
                && _input.Length == 2 + _tokenBytes + _properties + Math.Max(0, _properties - 1);

            // With a single-value reader, content after the object throws a JsonException here.
            if (_reader.Read())
            {
                var (line, position) = DisplayText.Position(_input, _reader.TokenStartIndex);
                AddFatal(
                    RecordErrorCode.InvalidJson,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"record is not valid JSON at line {line}, byte {position}: content after the object."));
            }
        }

        /// <summary>
        /// Accounts for one property (the reader is on its value): the bytes of its name and value tokens, and whether
        /// it keeps the record plain (a known field after the previous one, nothing escaped, not null, a scalar).
        /// </summary>
        private void TrackShape(CompiledField? field, int rawNameLength, bool nameEscaped)
        {
            _properties++;
            _tokenBytes += rawNameLength + 2;
            var token = _reader.TokenType;
            if (field is null || field.Ordinal <= _lastOrdinal || nameEscaped
                || token is JsonTokenType.Null or JsonTokenType.StartObject or JsonTokenType.StartArray
                || (token == JsonTokenType.String && _reader.ValueIsEscaped))
            {
                _plain = false;
                return;
            }

            _lastOrdinal = field.Ordinal;
            _tokenBytes += _reader.ValueSpan.Length + (token == JsonTokenType.String ? 2 : 0);
        }

        /// <summary>
        /// Finds the field named by the current property name, comparing UTF-8 bytes without allocating. The field after
        /// the previous one is tried first: producers usually write the fields in one order.
        /// </summary>
        private CompiledField? ResolveField()
        {
            var raw = _reader.ValueSpan;
            if (!_reader.ValueIsEscaped)
            {
                if ((uint)_nextOrdinal < (uint)_fields.Length && raw.SequenceEqual(_fields[_nextOrdinal].Utf8Name))
                {
                    return _fields[_nextOrdinal++];
                }

                var found = Find(raw);
                if (found is not null)
                {
                    _nextOrdinal = found.Ordinal + 1;
                }

                return found;
            }

            // An escape is at least 6 bytes for at least 1 byte of name: longer names cannot be a field.
            if (raw.Length > 6 * _schema.MaxFieldNameLength)
            {
                return null;
            }

            Span<byte> buffer = stackalloc byte[6 * RecordSchema.MaxNameLength];
            try
            {
                var length = _reader.CopyString(buffer);
                return Find(buffer[..length]);
            }
            catch (InvalidOperationException)
            {
                return null; // an unpaired surrogate escape: not the name of a field
            }
        }

        private readonly CompiledField? Find(ReadOnlySpan<byte> utf8Name)
        {
            foreach (var field in _fields)
            {
                if (utf8Name.SequenceEqual(field.Utf8Name))
                {
                    return field;
                }
            }

            return null;
        }

        /// <summary>Reads the current value token for a known field; false when the input turned out to be invalid UTF-8.</summary>
        private bool ReadValue(CompiledField field)
        {
            var token = _reader.TokenType;
            switch (token)
            {
                case JsonTokenType.Null:
                    if (field.Required)
                    {
                        Report(field, RecordErrorCode.MissingField, $"{field.Name}: required field is null.");
                    }

                    return true;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    ReportWrongType(field, token == JsonTokenType.StartObject ? "{...}" : "[...]");
                    return SkipValue();
                case JsonTokenType.String when !CheckUtf8():
                    return false;
                default:
                    break;
            }

            switch (field.Type)
            {
                case FieldType.String when token == JsonTokenType.String:
                    ReadString(field);
                    break;
                case FieldType.Long when token == JsonTokenType.Number:
                    ReadLong(field);
                    break;
                case FieldType.Double when token == JsonTokenType.Number:
                    ReadDouble(field);
                    break;
                case FieldType.Boolean when token is JsonTokenType.True or JsonTokenType.False:
                    _values[field.Ordinal] = FieldValue.FromBoolean(token == JsonTokenType.True);
                    break;
                case FieldType.Timestamp when token == JsonTokenType.String:
                    ReadTimestamp(field);
                    break;
                default:
                    ReportWrongType(field, RenderScalar());
                    break;
            }

            return true;
        }

        private void ReadString(CompiledField field)
        {
            var raw = _reader.ValueSpan;
            byte[]? rentedBytes = null;
            char[]? rentedChars = null;

            // Buffers only where needed: for unescaping, and for UTF-16 text (a pattern or a string to create).
            var needsChars = NeedsChars(field);
            Span<byte> byteBuffer = !_reader.ValueIsEscaped
                ? default
                : raw.Length <= StackBufferBytes
                    ? stackalloc byte[StackBufferBytes]
                    : (rentedBytes = ArrayPool<byte>.Shared.Rent(raw.Length));
            Span<char> charBuffer = !needsChars
                ? default
                : raw.Length <= StackBufferBytes
                    ? stackalloc char[StackBufferBytes]
                    : (rentedChars = ArrayPool<char>.Shared.Rent(raw.Length));
            try
            {
                scoped ReadOnlySpan<byte> utf8 = raw;
                if (_reader.ValueIsEscaped)
                {
                    try
                    {
                        utf8 = byteBuffer[.._reader.CopyString(byteBuffer)];
                    }
                    catch (InvalidOperationException)
                    {
                        Report(
                            field,
                            RecordErrorCode.InvalidUnicode,
                            $"{field.Name}: {DisplayText.QuotedString(raw)} is not valid Unicode (unpaired surrogate escape); " +
                            "expected a string of Unicode characters.");
                        return;
                    }
                }

                ValidateString(field, raw, utf8, charBuffer);
            }
            finally
            {
                if (rentedBytes is not null)
                {
                    ArrayPool<byte>.Shared.Return(rentedBytes);
                }

                if (rentedChars is not null)
                {
                    ArrayPool<char>.Shared.Return(rentedChars);
                }
            }
        }

        /// <summary>Checks an unescaped, valid UTF-8 string value and stores it when it passes.</summary>
        private void ValidateString(
            CompiledField field,
            scoped ReadOnlySpan<byte> raw,
            scoped ReadOnlySpan<byte> utf8,
            scoped Span<char> charBuffer)
        {
            if (field.Utf8AllowedValues is { } allowed)
            {
                for (var i = 0; i < allowed.Length; i++)
                {
                    if (utf8.SequenceEqual(allowed[i]))
                    {
                        if (_sink is not null)
                        {
                            _sink.SetString(field.Ordinal, allowed[i]);
                        }
                        else
                        {
                            _values[field.Ordinal] = FieldValue.FromString(field.AllowedValues![i]);
                        }

                        return;
                    }
                }

                Report(
                    field,
                    RecordErrorCode.ValueNotAllowed,
                    $"{field.Name}: {DisplayText.QuotedString(raw)} is not an allowed value; " +
                    $"allowed \"{string.Join("\", \"", field.AllowedValues!)}\".");
                return;
            }

            // A UTF-8 string of n bytes has between n/4 and n characters: count them only when that range crosses a
            // limit.
            var valid = true;
            var certain = utf8.Length <= field.MaxLength && utf8.Length >= 4L * field.MinLength;
            var length = certain ? field.MinLength : CountRunes(utf8);
            if (length < field.MinLength || length > field.MaxLength)
            {
                valid = false;
                Report(
                    field,
                    length < field.MinLength ? RecordErrorCode.TooShort : RecordErrorCode.TooLong,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{field.Name}: {DisplayText.QuotedString(raw)} is {length} {(length == 1 ? "character" : "characters")} long; {field.LengthText}."));
            }

            // Into a buffer, a string is stored as UTF-8 and transcoded to UTF-16 only for a pattern that needs it.
            scoped ReadOnlySpan<char> chars = NeedsChars(field)
                ? charBuffer[..Encoding.UTF8.GetChars(utf8, charBuffer)]
                : default;
            if (field.HasPattern
                && !(field.AsciiClassPattern is { } ascii ? ascii.IsMatch(utf8) : field.Pattern!.IsMatch(chars)))
            {
                valid = false;
                Report(
                    field,
                    RecordErrorCode.PatternMismatch,
                    $"{field.Name}: {DisplayText.QuotedString(raw)} does not match the pattern {field.Definition.Pattern}.");
            }

            if (valid)
            {
                if (_sink is not null)
                {
                    _sink.SetString(field.Ordinal, utf8);
                }
                else
                {
                    _values[field.Ordinal] = FieldValue.FromString(new string(chars));
                }
            }
        }

        /// <summary>Whether a string value of the field is needed as UTF-16: to create a string, or for a regex.</summary>
        private readonly bool NeedsChars(CompiledField field) =>
            _sink is null || (field.HasPattern && field.AsciiClassPattern is null);

        private void ReadLong(CompiledField field)
        {
            if (!_reader.TryGetInt64(out var value))
            {
                var status = JsonInteger.TryParse(_reader.ValueSpan, out value);
                if (status != JsonIntegerStatus.Integral)
                {
                    var problem = status == JsonIntegerStatus.NotIntegral
                        ? "is not a whole number"
                        : "is outside the 64-bit integer range";
                    Report(
                        field,
                        RecordErrorCode.WrongType,
                        $"{field.Name}: {DisplayText.Token(_reader.ValueSpan)} {problem}; expected an integer.");
                    return;
                }
            }

            if (value < field.LongMinimum || value > field.LongMaximum)
            {
                ReportOutOfRange(field);
                return;
            }

            _values[field.Ordinal] = FieldValue.FromInt64(value);
            _sink?.SetNumberToken(field.Ordinal, (int)_reader.TokenStartIndex, _reader.ValueSpan.Length);
        }

        private void ReadDouble(CompiledField field)
        {
            if (!(JsonDecimal.TryParseExact(_reader.ValueSpan, out var value) || _reader.TryGetDouble(out value))
                || !double.IsFinite(value))
            {
                Report(
                    field,
                    RecordErrorCode.WrongType,
                    $"{field.Name}: {DisplayText.Token(_reader.ValueSpan)} is too large for a 64-bit floating-point " +
                    "number; expected a finite number.");
                return;
            }

            if (value < field.DoubleMinimum || value > field.DoubleMaximum)
            {
                ReportOutOfRange(field);
                return;
            }

            _values[field.Ordinal] = FieldValue.FromDouble(value);
            _sink?.SetNumberToken(field.Ordinal, (int)_reader.TokenStartIndex, _reader.ValueSpan.Length);
        }

        private void ReadTimestamp(CompiledField field)
        {
            var raw = _reader.ValueSpan;
            scoped ReadOnlySpan<byte> text = raw;
            Span<byte> buffer = _reader.ValueIsEscaped ? stackalloc byte[6 * IsoTimestamp.MaxLength] : default;
            if (_reader.ValueIsEscaped)
            {
                if (raw.Length > buffer.Length)
                {
                    text = raw; // too long to be a timestamp even unescaped: reported as malformed below
                }
                else
                {
                    try
                    {
                        text = buffer[.._reader.CopyString(buffer)];
                    }
                    catch (InvalidOperationException)
                    {
                        text = raw; // an unpaired surrogate escape: not a timestamp
                    }
                }
            }

            var status = IsoTimestamp.TryParse(text, out var timestamp);
            if (status != IsoTimestampStatus.Valid)
            {
                var problem = status switch
                {
                    IsoTimestampStatus.NoOffset => "has no UTC offset (ambiguous)",
                    IsoTimestampStatus.Impossible => "is not a valid date, time and offset",
                    _ => "is not an ISO-8601 date-time",
                };
                Report(
                    field,
                    RecordErrorCode.InvalidTimestamp,
                    $"{field.Name}: {DisplayText.QuotedString(raw)} {problem}; expected the form " +
                    "yyyy-MM-ddTHH:mm:ss[.fffffffff] with Z or +hh:mm/-hh:mm, e.g. \"2026-11-21T10:15:30.123Z\".");
                return;
            }

            if (field.Ordinal == _schema.EventTimeOrdinal)
            {
                var latest = _schema.LatestEventTime(_now);
                if (timestamp < _schema.EarliestEventTime || timestamp > latest)
                {
                    Report(
                        field,
                        RecordErrorCode.EventTimeOutOfWindow,
                        $"{field.Name}: {DisplayText.QuotedString(raw)} is {Utc(timestamp)}, outside the accepted " +
                        $"window; allowed {Utc(_schema.EarliestEventTime)} to {Utc(latest)} " +
                        $"(now + {_schema.MaxFutureSkew.ToString("c", CultureInfo.InvariantCulture)}).");
                    return;
                }

                EventTime = timestamp;
            }

            _values[field.Ordinal] = FieldValue.FromTimestamp(timestamp);
            _sink?.SetNumberToken(field.Ordinal, (int)_reader.TokenStartIndex, raw.Length + 2);
        }

        /// <summary>
        /// Skips the current value, checking the UTF-8 of every string in it; false when it is invalid. JSON errors in
        /// the value throw <see cref="JsonException"/> as usual.
        /// </summary>
        private bool SkipValue()
        {
            var token = _reader.TokenType;
            if (token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return token != JsonTokenType.String || CheckUtf8();
            }

            var depth = _reader.CurrentDepth;
            while (_reader.Read())
            {
                if (_reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !CheckUtf8())
                {
                    return false;
                }

                if (_reader.CurrentDepth == depth)
                {
                    break;
                }
            }

            return true;
        }

        /// <summary>Checks that the current string or property-name token is valid UTF-8; reports it when not.</summary>
        private bool CheckUtf8()
        {
            var raw = _reader.ValueSpan;
            if (Utf8.IsValid(raw))
            {
                return true;
            }

            var bad = 0;
            while (bad < raw.Length && Rune.DecodeFromUtf8(raw[bad..], out _, out var consumed) == OperationStatus.Done)
            {
                bad += consumed;
            }

            // TokenStartIndex is the opening quote.
            var (line, position) = DisplayText.Position(_input, _reader.TokenStartIndex + 1 + bad);
            AddFatal(
                RecordErrorCode.InvalidJson,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"record is not valid JSON at line {line}, byte {position}: invalid UTF-8 byte 0x{raw[bad]:X2}."));
            return false;
        }

        private readonly string RenderScalar() => _reader.TokenType switch
        {
            JsonTokenType.String => DisplayText.QuotedString(_reader.ValueSpan),
            JsonTokenType.Number => DisplayText.Token(_reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => "null",
        };

        private static string Kind(JsonTokenType token) => token switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            _ => "null",
        };

        private static string Utc(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

        private static int CountRunes(ReadOnlySpan<byte> validUtf8)
        {
            // In valid UTF-8 every scalar value has exactly one byte that is not a continuation byte (10xxxxxx).
            var count = 0;
            foreach (var b in validUtf8)
            {
                if ((b & 0xC0) != 0x80)
                {
                    count++;
                }
            }

            return count;
        }

        private void ReportWrongType(CompiledField field, string rendered) =>
            Report(
                field,
                RecordErrorCode.WrongType,
                $"{field.Name}: {rendered} is {Kind(_reader.TokenType)}; expected {field.Expectation}.");

        private void ReportOutOfRange(CompiledField field) =>
            Report(
                field,
                RecordErrorCode.OutOfRange,
                $"{field.Name}: {DisplayText.Token(_reader.ValueSpan)} is out of range; {field.RangeText}.");

        private void ReportUnknown(ReadOnlySpan<byte> rawName)
        {
            if (IsFull())
            {
                return;
            }

            var name = DisplayText.Escaped(rawName);
            Add(new RecordError(
                name,
                RecordErrorCode.UnknownField,
                $"{name}: unknown field; the fields of {_schema.Name} are {_schema.FieldNameList}."));
        }

        private void Report(CompiledField field, RecordErrorCode code, string message)
        {
            if (!IsFull())
            {
                Add(new RecordError(field.Name, code, message));
            }
        }

        /// <summary>Whether the error list is full; counts the error that will not be reported.</summary>
        private bool IsFull()
        {
            if (_errors is not null && _errors.Count >= MaxErrorsPerRecord)
            {
                _omitted++;
                return true;
            }

            return false;
        }

        /// <summary>Adds an error that ends the validation; always reported, even past the limit.</summary>
        private void AddFatal(RecordErrorCode code, string message) => Add(new RecordError(null, code, message));

        private void Add(RecordError error) => (_errors ??= new List<RecordError>(4)).Add(error);
    }
}
