using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Pipeline.Schema;

namespace Pipeline.Ingestion;

/// <summary>
/// Validates one telemetry record (one JSON object in UTF-8) and writes its normalised form: the fields in schema
/// order, absent and null fields left out, no whitespace, every value as it arrived except the event time, which is
/// written in UTC as <c>yyyy-MM-dd HH:mm:ss.fff</c> (the timestamp form of the Hive JSON SerDe that converts it to
/// Parquet; digits below the millisecond are dropped).
/// </summary>
/// <remarks>
/// Written for <see cref="TelemetrySchema"/> alone, so the transform never builds a <see cref="RecordSchema"/> (whose
/// pattern check compiles a regular expression at start-up); tests hold <see cref="Fields"/> to
/// <see cref="TelemetrySchema.Definition"/>. An instance reuses its buffers: one per thread.
/// </remarks>
public sealed class RecordValidator
{
    /// <summary>The most errors reported for one record; a final <see cref="RecordErrorCode.TooManyErrors"/> counts the rest.</summary>
    public const int MaxErrorsPerRecord = 50;

    /// <summary>The deepest nesting read (a value nested deeper is <see cref="RecordErrorCode.InvalidJson"/>).</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// How many bytes longer than its input a normalised record can be: only the event time can grow, from 22 bytes
    /// (<c>"yyyy-MM-ddTHH:mm:ssZ"</c>) to 25; everything else is copied or dropped.
    /// </summary>
    public const int MaxGrowth = 3;

    /// <summary>The rules for each field, in schema order.</summary>
    internal static readonly TelemetryField[] Fields =
    [
        new(TelemetrySchema.DeviceId, FieldType.String, Required: true, MinLength: 1, MaxLength: 64, Pattern: "^[A-Za-z0-9._:-]+$",
            Characters: SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-"u8)),
        new(TelemetrySchema.EventTime, FieldType.Timestamp, Required: true),
        new(TelemetrySchema.SiteId, FieldType.String, MaxLength: 64),
        new(TelemetrySchema.ProductQuality, FieldType.String, AllowedValues: ["L", "M", "H"]),
        new(TelemetrySchema.AirTemperatureK, FieldType.Double, Required: true, Minimum: 150, Maximum: 450),
        new(TelemetrySchema.ProcessTemperatureK, FieldType.Double, Required: true, Minimum: 150, Maximum: 600),
        new(TelemetrySchema.RotationalSpeedRpm, FieldType.Double, Required: true, Minimum: 0, Maximum: 30000),
        new(TelemetrySchema.TorqueNm, FieldType.Double, Required: true, Minimum: 0, Maximum: 1000),
        new(TelemetrySchema.ToolWearMin, FieldType.Long, Required: true, Minimum: 0, Maximum: 100000),
        new(TelemetrySchema.VibrationMmS, FieldType.Double, Minimum: 0, Maximum: 500),
        new(TelemetrySchema.MachineFailure, FieldType.Boolean, Required: true),
    ];

    /// <summary>The earliest accepted event time, as <see cref="TelemetrySchema.EarliestEventTime"/>.</summary>
    internal static readonly DateTimeOffset EarliestEventTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far past "now" an event time may lie, as <see cref="TelemetrySchema.MaxFutureSkew"/>.</summary>
    internal static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(15);

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };
    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    private static readonly string FieldList = string.Join(", ", Fields.Select(f => f.Name));

    private readonly List<RecordError> _errors = [];
    private readonly (int Start, int Length)[] _tokens = new (int, int)[Fields.Length];
    private readonly byte[] _eventDate = new byte[10];
    private byte[] _unescaped = new byte[256];
    private byte[] _normalised = new byte[1024];
    private int _normalisedLength;
    private int _omitted;

    /// <summary>The errors of the last record, in input order (missing fields last); empty when it was valid.</summary>
    public IReadOnlyList<RecordError> Errors => _errors;

    /// <summary>The event time of the last valid record, in UTC.</summary>
    public DateTimeOffset EventTime { get; private set; }

    /// <summary>The UTC date of <see cref="EventTime"/> as <c>yyyy-MM-dd</c> (its partition value), in UTF-8.</summary>
    public ReadOnlySpan<byte> EventDate => _eventDate;

    /// <summary>The normalised JSON of the last valid record; valid until the next <see cref="Validate"/>.</summary>
    public ReadOnlySpan<byte> Normalised => _normalised.AsSpan(0, _normalisedLength);

    /// <summary>Validates one record and, when it is valid, normalises it. Never throws for any input.</summary>
    /// <param name="utf8Json">The record: one JSON object in UTF-8, without a byte-order mark.</param>
    /// <param name="now">The current time; event times after it plus <see cref="TelemetrySchema.MaxFutureSkew"/> are refused.</param>
    /// <returns>Whether the record is valid; if not, <see cref="Errors"/> says why.</returns>
    public bool Validate(ReadOnlySpan<byte> utf8Json, DateTimeOffset now)
    {
        _errors.Clear();
        _omitted = 0;
        _normalisedLength = 0;
        Array.Clear(_tokens);
        if (!Utf8.IsValid(utf8Json))
        {
            // Utf8JsonReader does not check the UTF-8 inside strings; any invalid byte makes the record unreadable.
            var valid = 0;
            while (Rune.DecodeFromUtf8(utf8Json[valid..], out _, out var length) == OperationStatus.Done)
            {
                valid += length;
            }

            Fail(RecordErrorCode.InvalidJson, Invariant($"record is not valid JSON: invalid UTF-8 byte 0x{utf8Json[valid]:X2} at offset {valid}."));
            return false;
        }

        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            Fail(RecordErrorCode.InvalidJson, "record starts with a UTF-8 byte-order mark; expected JSON without one.");
            return false;
        }

        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            ReadRecord(ref reader, now);
        }
        catch (JsonException ex)
        {
            Fail(RecordErrorCode.InvalidJson, Invariant($"record is not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {Reason(ex)}."));
        }

        if (_omitted > 0)
        {
            _errors.Add(new RecordError(null, RecordErrorCode.TooManyErrors, Invariant($"record has more than {MaxErrorsPerRecord} errors; {_omitted} more were left out.")));
        }

        if (_errors.Count > 0)
        {
            return false;
        }

        WriteNormalised(utf8Json);
        return true;
    }

    /// <summary>The reason in a <see cref="JsonException"/>'s message, without the position it appends.</summary>
    internal static string Reason(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return SafeText.Echo((cut >= 0 ? message[..cut] : message).TrimEnd(' ', '.'), maxLength: 200);
    }

    private void ReadRecord(ref Utf8JsonReader reader, DateTimeOffset now)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = Kind(reader.TokenType);
            reader.Skip();
            reader.Read(); // throws when anything follows the value
            Fail(RecordErrorCode.NotAnObject, $"record must be a JSON object; found {kind}.");
            return;
        }

        var seen = 0u;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = FieldIndex(ref reader, next);
            var unknown = index < 0 ? Echo(reader.ValueSpan) : null;
            reader.Read();
            if (unknown is not null)
            {
                Report(unknown, RecordErrorCode.UnknownField, $"{unknown}: unknown field; the fields are {FieldList}.");
            }
            else if ((seen & (1u << index)) != 0)
            {
                Report(Fields[index].Name, RecordErrorCode.DuplicateField, $"{Fields[index].Name}: field appears more than once.");
            }
            else
            {
                seen |= 1u << index;
                next = index + 1;
                ReadValue(ref reader, index, now);
            }

            reader.Skip();
        }

        reader.Read(); // throws when anything follows the object
        for (var i = 0; i < Fields.Length; i++)
        {
            if (Fields[i].Required && (seen & (1u << i)) == 0)
            {
                Report(Fields[i].Name, RecordErrorCode.MissingField, $"{Fields[i].Name}: required field is missing.");
            }
        }
    }

    /// <summary>The field the current property names, or -1; producers write the fields in order, so the next one is tried first.</summary>
    private static int FieldIndex(ref Utf8JsonReader reader, int next)
    {
        if (next < Fields.Length && reader.ValueTextEquals(Fields[next].Utf8Name))
        {
            return next;
        }

        for (var i = 0; i < Fields.Length; i++)
        {
            if (reader.ValueTextEquals(Fields[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    private void ReadValue(ref Utf8JsonReader reader, int index, DateTimeOffset now)
    {
        var field = Fields[index];
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            if (field.Required)
            {
                Report(field.Name, RecordErrorCode.MissingField, $"{field.Name}: required field is null.");
            }

            return;
        }

        var valid = (field.Type, token) switch
        {
            (FieldType.String, JsonTokenType.String) => CheckString(ref reader, field),
            (FieldType.Timestamp, JsonTokenType.String) => CheckEventTime(ref reader, field, now),
            (FieldType.Long, JsonTokenType.Number) => reader.TryGetInt64(out var value)
                ? CheckRange(field, value, reader.ValueSpan)
                : Refuse(field, RecordErrorCode.WrongType, $"{Echo(reader.ValueSpan)} is not a whole number without fraction or exponent in the 64-bit range; expected an integer."),
            (FieldType.Double, JsonTokenType.Number) => TryParseDouble(reader.ValueSpan, out var value) && double.IsFinite(value)
                ? CheckRange(field, value, reader.ValueSpan)
                : Refuse(field, RecordErrorCode.WrongType, $"{Echo(reader.ValueSpan)} is too large for a 64-bit floating-point number; expected a finite number."),
            (FieldType.Boolean, JsonTokenType.True or JsonTokenType.False) => true,
            _ => Refuse(field, RecordErrorCode.WrongType, $"{Shown(ref reader)} is {Kind(token)}; expected {field.Expected}."),
        };
        if (valid)
        {
            var quotes = token == JsonTokenType.String ? 2 : 0;
            _tokens[index] = ((int)reader.TokenStartIndex, reader.ValueSpan.Length + quotes);
        }
    }

    private bool CheckString(ref Utf8JsonReader reader, TelemetryField field)
    {
        if (!TryGetText(ref reader, out var text))
        {
            return Refuse(field, RecordErrorCode.InvalidUnicode, $"\"{Echo(reader.ValueSpan)}\" has an unpaired surrogate escape; expected Unicode text.");
        }

        // In valid UTF-8 every character (Unicode scalar value) has one byte that is not a continuation byte.
        var length = 0;
        foreach (var b in text)
        {
            length += (b & 0xC0) == 0x80 ? 0 : 1;
        }

        if (length < field.MinLength || length > field.MaxLength)
        {
            return Refuse(
                field,
                length < field.MinLength ? RecordErrorCode.TooShort : RecordErrorCode.TooLong,
                Invariant($"\"{Echo(text)}\" is {length} characters long; allowed {field.MinLength ?? 0} to {field.MaxLength} characters."));
        }

        if (field.Characters is { } characters && (text.IsEmpty || text.IndexOfAnyExcept(characters) >= 0))
        {
            return Refuse(field, RecordErrorCode.PatternMismatch, $"\"{Echo(text)}\" does not match the pattern {field.Pattern}.");
        }

        if (field.Utf8AllowedValues is { } allowed && !IsOneOf(text, allowed))
        {
            return Refuse(field, RecordErrorCode.ValueNotAllowed, $"\"{Echo(text)}\" is not an allowed value; allowed {string.Join(", ", field.AllowedValues!)}.");
        }

        return true;
    }

    private bool CheckEventTime(ref Utf8JsonReader reader, TelemetryField field, DateTimeOffset now)
    {
        if (!TryGetText(ref reader, out var text))
        {
            return Refuse(field, RecordErrorCode.InvalidUnicode, $"\"{Echo(reader.ValueSpan)}\" has an unpaired surrogate escape; expected Unicode text.");
        }

        if (!TryParseTimestamp(text, out var time))
        {
            return Refuse(
                field,
                RecordErrorCode.InvalidTimestamp,
                $"\"{Echo(text)}\" is not a date-time of the form yyyy-MM-ddTHH:mm:ss[.fffffffff] with Z or ±hh:mm, e.g. 2026-11-21T10:15:30.123Z.");
        }

        var latest = now + MaxFutureSkew;
        if (time < EarliestEventTime || time > latest)
        {
            return Refuse(
                field,
                RecordErrorCode.EventTimeOutOfWindow,
                $"{Utc(time)} is outside the accepted window {Utc(EarliestEventTime)} to {Utc(latest)} (now + {MaxFutureSkew.TotalMinutes} minutes).");
        }

        EventTime = time;
        return true;
    }

    /// <summary>
    /// Parses an RFC 3339 date-time with seconds and an offset, <c>yyyy-MM-ddTHH:mm:ss[.f…](Z|±hh:mm)</c>. That is
    /// <see cref="Utf8Parser"/>'s <c>O</c> format with the fraction padded (or cut below 100 ns) to seven digits.
    /// </summary>
    internal static bool TryParseTimestamp(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        var zone = text.Length >= 20 && text[^1] == 'Z' ? 1 : text.Length >= 25 && text[^6] is (byte)'+' or (byte)'-' ? 6 : 0;
        if (zone == 0 || text.Length > 35)
        {
            return false;
        }

        var fraction = text[19..^zone];
        if (!fraction.IsEmpty && (fraction.Length is < 2 or > 10 || fraction[0] != '.' || fraction[1..].ContainsAnyExceptInRange((byte)'0', (byte)'9')))
        {
            return false;
        }

        Span<byte> canonical = stackalloc byte[33];
        text[..19].CopyTo(canonical);
        canonical[19] = (byte)'.';
        canonical.Slice(20, 7).Fill((byte)'0');
        fraction[Math.Min(1, fraction.Length)..Math.Min(8, fraction.Length)].CopyTo(canonical[20..]);
        text[^zone..].CopyTo(canonical[27..]);
        return Utf8Parser.TryParse(canonical[..(27 + zone)], out value, out var consumed, 'O') && consumed == 27 + zone;
    }

    /// <summary>
    /// Parses a JSON number token. A plain decimal of at most 16 characters is m / 10^k with m and 10^k exact doubles,
    /// so one division rounds it correctly, as <see cref="Utf8Parser"/> would: that parser's general set-up costs about
    /// a tenth of the transform's time, more than every other check of a record's numbers together.
    /// </summary>
    internal static bool TryParseDouble(ReadOnlySpan<byte> token, out double value)
    {
        if (token.Length > 16 || token.ContainsAny((byte)'e', (byte)'E'))
        {
            return Utf8Parser.TryParse(token, out value, out var consumed) && consumed == token.Length;
        }

        var (mantissa, scale) = (0UL, -1);
        foreach (var b in token)
        {
            if (b == '.')
            {
                scale = 0;
            }
            else if (b != '-')
            {
                mantissa = (mantissa * 10) + (uint)(b - '0');
                scale += scale >= 0 ? 1 : 0;
            }
        }

        value = (token[0] == '-' ? -1.0 : 1.0) * mantissa / PowersOfTen[Math.Max(scale, 0)];
        return true;
    }

    /// <summary>Writes <c>"yyyy-MM-dd HH:mm:ss.fff"</c> (25 bytes, quotes included) for the UTC time.</summary>
    internal static int WriteTimestamp(DateTimeOffset time, Span<byte> destination)
    {
        Span<byte> iso = stackalloc byte[28];
        Utf8Formatter.TryFormat(time.UtcDateTime, iso, out _, new StandardFormat('O')); // yyyy-MM-ddTHH:mm:ss.fffffffZ
        destination[0] = (byte)'"';
        iso[..23].CopyTo(destination[1..]);
        destination[11] = (byte)' ';
        destination[24] = (byte)'"';
        return 25;
    }

    private void WriteNormalised(ReadOnlySpan<byte> input)
    {
        if (_normalised.Length < input.Length + MaxGrowth)
        {
            _normalised = new byte[Math.Max(input.Length + MaxGrowth, 2 * _normalised.Length)];
        }

        var output = _normalised.AsSpan();
        var length = 1;
        output[0] = (byte)'{';
        for (var i = 0; i < Fields.Length; i++)
        {
            var (start, tokenLength) = _tokens[i];
            if (tokenLength == 0)
            {
                continue;
            }

            if (length > 1)
            {
                output[length++] = (byte)',';
            }

            Fields[i].Utf8Property.CopyTo(output[length..]);
            length += Fields[i].Utf8Property.Length;
            if (Fields[i].Type == FieldType.Timestamp)
            {
                length += WriteTimestamp(EventTime, output[length..]);
                output.Slice(length - 24, 10).CopyTo(_eventDate);
            }
            else
            {
                input.Slice(start, tokenLength).CopyTo(output[length..]);
                length += tokenLength;
            }
        }

        output[length++] = (byte)'}';
        _normalisedLength = length;
    }

    /// <summary>The current string token's text, unescaped when needed; false for an unpaired surrogate escape.</summary>
    private bool TryGetText(ref Utf8JsonReader reader, out ReadOnlySpan<byte> text)
    {
        text = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return true;
        }

        if (_unescaped.Length < text.Length)
        {
            _unescaped = new byte[text.Length];
        }

        try
        {
            text = _unescaped.AsSpan(0, reader.CopyString(_unescaped));
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private bool CheckRange(TelemetryField field, double value, ReadOnlySpan<byte> token) =>
        !(value < field.Minimum || value > field.Maximum)
        || Refuse(field, RecordErrorCode.OutOfRange, Invariant($"{Echo(token)} is out of range; allowed {field.Minimum} to {field.Maximum}."));

    /// <summary>Reports a problem with a field's value; always false.</summary>
    private bool Refuse(TelemetryField field, RecordErrorCode code, string problem)
    {
        Report(field.Name, code, field.Name + ": " + problem);
        return false;
    }

    private void Report(string field, RecordErrorCode code, string message)
    {
        if (_errors.Count < MaxErrorsPerRecord)
        {
            _errors.Add(new RecordError(field, code, message));
        }
        else
        {
            _omitted++;
        }
    }

    /// <summary>Reports a problem with the record as a whole, which makes any other error meaningless.</summary>
    private void Fail(RecordErrorCode code, string message)
    {
        _errors.Clear();
        _omitted = 0;
        _errors.Add(new RecordError(null, code, message));
    }

    private static bool IsOneOf(ReadOnlySpan<byte> text, byte[][] values)
    {
        foreach (var value in values)
        {
            if (text.SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }

    private static string Echo(ReadOnlySpan<byte> utf8) => SafeText.Echo(Encoding.UTF8.GetString(utf8));

    private static string Shown(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{Echo(reader.ValueSpan)}\"",
        JsonTokenType.StartObject => "{…}",
        JsonTokenType.StartArray => "[…]",
        _ => Echo(reader.ValueSpan),
    };

    internal static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

/// <summary>What <see cref="RecordValidator"/> requires of one field; the tests compare it with the schema's definition.</summary>
internal sealed record TelemetryField(
    string Name,
    FieldType Type,
    bool Required = false,
    double? Minimum = null,
    double? Maximum = null,
    int? MinLength = null,
    int? MaxLength = null,
    string? Pattern = null,
    SearchValues<byte>? Characters = null,
    string[]? AllowedValues = null)
{
    public byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(Name);

    /// <summary><c>"name":</c>, as the normalised record writes it.</summary>
    public byte[] Utf8Property { get; } = Encoding.UTF8.GetBytes($"\"{Name}\":");

    public byte[][]? Utf8AllowedValues { get; } = AllowedValues?.Select(Encoding.UTF8.GetBytes).ToArray();

    public string Expected => Type switch
    {
        FieldType.String => "a string",
        FieldType.Long => "an integer",
        FieldType.Double => "a number",
        FieldType.Boolean => "true or false",
        _ => "a date-time string such as \"2026-11-21T10:15:30.123Z\"",
    };
}
