using System.Globalization;
using System.Text;
using Pipeline.Schema;

namespace Pipeline.Ingestion;

/// <summary>
/// Writes a validated record as the JSON that Firehose's record format conversion turns into Parquet: one object,
/// properties in schema order, absent optional fields omitted (Parquet null), no whitespace.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Timestamps (the event-time field and every <see cref="FieldType.Timestamp"/> field) as UTC
/// <c>yyyy-MM-dd HH:mm:ss.fff</c>, the form the Hive JSON SerDe of the conversion parses into a Glue <c>timestamp</c>
/// by default; digits below the millisecond are truncated.</description></item>
/// <item><description><see cref="FieldType.Long"/> as an integer literal; <see cref="FieldType.Double"/> in the
/// shortest form that round-trips, invariant culture, as <see cref="double.ToString(IFormatProvider)"/> writes it
/// (<c>298.1</c>, <c>1E-05</c>, <c>1E+16</c>, <c>-0</c>; never NaN or infinity, which the validator rejects);
/// <see cref="FieldType.Boolean"/> as <c>true</c>/<c>false</c>. A number token that is already in that form (a plain
/// decimal of at most 15 significant digits without superfluous zeros) is copied instead of being formatted again:
/// the same bytes, faster.</description></item>
/// <item><description>Strings with minimal escaping (see <see cref="JsonStringEscaper"/>): non-ASCII is written as
/// UTF-8, unescaped, so a normalised string is never longer than its input.</description></item>
/// <item><description>Units: values are written in the schema's canonical units (<see cref="FieldDefinition.Unit"/>),
/// which the validator enforces through each field's range. This writer is where a value arriving in an alternative
/// unit would be converted to the canonical one, should the record contract ever admit one; today it does not, so no
/// conversion happens and no alternate-unit fields exist.</description></item>
/// </list>
/// The JSON is written directly as bytes (every piece is a fixed name, a literal, a number or an escaped string);
/// tests check it against a JSON parser and the validator. An instance reuses its buffer and is not thread-safe.
/// </remarks>
internal sealed class NormalisedRecordWriter
{
    /// <summary>The length of <c>yyyy-MM-dd HH:mm:ss.fff</c>.</summary>
    public const int TimestampLength = 23;

    /// <summary>Room for any formatted long or double (at most 24 characters, e.g. <c>-1.7976931348623157E+308</c>).</summary>
    private const int MaxNumberLength = 32;

    /// <summary>The most significant digits of a number token copied as it is (see <see cref="IsShortestDecimal"/>).</summary>
    private const int MaxCopiedDigits = 15;

    private readonly byte[][] _prefixes;
    private readonly FieldType[] _types;
    private readonly byte[] _date = new byte[10];
    private byte[] _buffer = new byte[1024];
    private long _day = -1;

    public NormalisedRecordWriter(RecordSchema schema)
    {
        Schema = schema;
        _prefixes = new byte[schema.Fields.Count][];
        _types = new FieldType[schema.Fields.Count];
        for (var i = 0; i < _prefixes.Length; i++)
        {
            // Field names are snake_case ASCII (the schema checks): nothing to escape. Each is stored as "name":
            // and the separating comma is written before every property but the first.
            _prefixes[i] = Encoding.ASCII.GetBytes("\"" + schema.Fields[i].Name + "\":");
            _types[i] = schema.Fields[i].Type;
        }
    }

    /// <summary>The schema whose records this writer writes.</summary>
    public RecordSchema Schema { get; }

    /// <summary>
    /// The most bytes the normalised form of a record of <paramref name="inputLength"/> bytes can take: never more
    /// than the input plus <see cref="MaxNumberLength"/> per field. Each property of the output appears in the input
    /// with the same name (written at least as long) and a value token: a string is never longer than its input token
    /// (see <see cref="JsonStringEscaper"/>), a number at most <see cref="MaxNumberLength"/> bytes, a boolean the same,
    /// a timestamp 25 bytes; separators only shrink, since the output has no whitespace.
    /// </summary>
    public int MaxLength(int inputLength) => checked(inputLength + 2 + (_prefixes.Length * (MaxNumberLength + 1)));

    /// <summary>
    /// Writes the normalised JSON of a valid record, validated into <paramref name="record"/> from
    /// <paramref name="input"/>; the bytes are valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Write(RecordBuffer record, ReadOnlySpan<byte> input) => Write(record, input, allowCopy: true);

    /// <summary>
    /// Writes the normalised JSON; <paramref name="allowCopy"/> false forces the general path (for tests that check
    /// that both paths write the same bytes).
    /// </summary>
    internal ReadOnlySpan<byte> Write(RecordBuffer record, ReadOnlySpan<byte> input, bool allowCopy)
    {
        var capacity = MaxLength(input.Length);
        if (_buffer.Length < capacity)
        {
            _buffer = new byte[Math.Max(capacity, Math.Min(Array.MaxLength, (long)_buffer.Length * 2))];
        }

        if (allowCopy && record.IsPlainCompact && TryCopy(record, input, out var copied))
        {
            return copied;
        }

        var values = record.Values;
        var buffer = _buffer.AsSpan(0, capacity);
        buffer[0] = (byte)'{';
        var length = 1;
        for (var i = 0; i < _prefixes.Length; i++)
        {
            var type = _types[i];
            ReadOnlySpan<byte> utf8 = default;
            if (type == FieldType.String ? !record.TryGetUtf8String(i, out utf8) : !values[i].HasValue)
            {
                continue;
            }

            if (length > 1)
            {
                buffer[length++] = (byte)',';
            }

            var prefix = _prefixes[i];
            prefix.CopyTo(buffer[length..]);
            length += prefix.Length;
            var destination = buffer[length..];
            length += type switch
            {
                FieldType.String => JsonStringEscaper.WriteToken(utf8, destination),
                FieldType.Long => WriteLong(Token(input, record.GetNumberToken(i)), values[i].AsInt64(), destination),
                FieldType.Double => WriteDouble(Token(input, record.GetNumberToken(i)), values[i].AsDouble(), destination),
                FieldType.Boolean => values[i].AsBoolean() ? Copy("true"u8, destination) : Copy("false"u8, destination),
                _ => WriteTimestamp(values[i].AsTimestamp().UtcDateTime, destination),
            };
        }

        buffer[length++] = (byte)'}';
        return buffer[..length];
    }

    /// <summary>
    /// The copy path: a record that is compact, in schema order, without escapes or nulls
    /// (<see cref="RecordBuffer.IsPlainCompact"/>) and whose numbers are all in their normal form already is its own
    /// normalised form, except for the timestamps, which are re-spelled in place. Returns false (and writes nothing
    /// useful) when a number is not in normal form; the general path then writes the record.
    /// </summary>
    private bool TryCopy(RecordBuffer record, ReadOnlySpan<byte> input, out ReadOnlySpan<byte> written)
    {
        written = default;
        var values = record.Values;
        var buffer = _buffer.AsSpan();
        var length = 0;
        var from = 0;
        for (var i = 0; i < _types.Length; i++)
        {
            var type = _types[i];
            if (type is FieldType.String or FieldType.Boolean || !values[i].HasValue)
            {
                continue;
            }

            var (start, tokenLength) = record.GetNumberToken(i);
            var token = input.Slice(start, tokenLength);
            switch (type)
            {
                case FieldType.Long when !IsPlainInteger(token):
                case FieldType.Double when !IsShortestDecimal(token):
                    return false;
                case FieldType.Timestamp:
                    input[from..start].CopyTo(buffer[length..]);
                    length += start - from;
                    length += WriteTimestamp(values[i].AsTimestamp().UtcDateTime, buffer[length..]);
                    from = start + tokenLength;
                    break;
                default:
                    break;
            }
        }

        input[from..].CopyTo(buffer[length..]);
        written = buffer[..(length + input.Length - from)];
        return true;
    }

    /// <summary>Formats a UTC timestamp as <c>yyyy-MM-dd HH:mm:ss.fff</c> (23 ASCII bytes), truncating below the millisecond.</summary>
    public static void FormatTimestamp(DateTimeOffset value, Span<byte> destination)
    {
        var utc = value.UtcDateTime;
        FormatDate(utc, destination);
        FormatTime(utc, destination);
    }

    /// <summary>Formats the time of day of a UTC date-time as <c> HH:mm:ss.fff</c> into bytes 10 to 22.</summary>
    private static void FormatTime(DateTime utc, Span<byte> destination)
    {
        var time = (int)((utc.Ticks % TimeSpan.TicksPerDay) / TimeSpan.TicksPerMillisecond);
        var milliseconds = time % 1000;
        time /= 1000;
        destination[10] = (byte)' ';
        TwoDigits(destination[11..], time / 3600);
        destination[13] = (byte)':';
        TwoDigits(destination[14..], time / 60 % 60);
        destination[16] = (byte)':';
        TwoDigits(destination[17..], time % 60);
        destination[19] = (byte)'.';
        destination[20] = (byte)('0' + (milliseconds / 100));
        TwoDigits(destination[21..], milliseconds % 100);
    }

    /// <summary>Formats the date of a UTC date-time as <c>yyyy-MM-dd</c> (10 ASCII bytes).</summary>
    public static void FormatDate(DateTime utc, Span<byte> destination)
    {
        DateOnly.FromDateTime(utc).Deconstruct(out var year, out var month, out var day);
        TwoDigits(destination, year / 100);
        TwoDigits(destination[2..], year % 100);
        destination[4] = (byte)'-';
        TwoDigits(destination[5..], month);
        destination[7] = (byte)'-';
        TwoDigits(destination[8..], day);
    }

    /// <summary>
    /// Whether a JSON number token is exactly what <see cref="double.ToString(IFormatProvider)"/> (invariant) writes
    /// for its value: <c>-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?</c> with at most 15 significant digits, at most 15 integer
    /// digits and, below 1, at most three zeros after the point. Such a decimal is the shortest string that
    /// round-trips to its double (two different decimals of at most 15 significant digits never round to the same
    /// double), and .NET writes values from 1E-04 to below 1E+15 in positional notation, so the text is the same.
    /// </summary>
    internal static bool IsShortestDecimal(ReadOnlySpan<byte> token)
    {
        var i = token.Length > 0 && token[0] == '-' ? 1 : 0;
        var integerStart = i;
        while (i < token.Length && (uint)(token[i] - '0') <= 9)
        {
            i++;
        }

        var integerDigits = i - integerStart;
        if (integerDigits == 0 || integerDigits > MaxCopiedDigits || (integerDigits > 1 && token[integerStart] == '0'))
        {
            return false;
        }

        var integerIsZero = integerDigits == 1 && token[integerStart] == '0';
        var significant = integerIsZero ? 0 : integerDigits;
        if (i == token.Length)
        {
            return true;
        }

        if (token[i] != '.')
        {
            return false; // an exponent
        }

        var fractionStart = ++i;
        var leadingZeros = 0;
        while (i < token.Length && (uint)(token[i] - '0') <= 9)
        {
            if (significant == 0 && token[i] == '0')
            {
                leadingZeros++;
            }
            else
            {
                significant++;
            }

            i++;
        }

        return i == token.Length
            && i > fractionStart
            && token[^1] != '0'
            && significant <= MaxCopiedDigits
            && (!integerIsZero || leadingZeros <= 3);
    }

    /// <summary>Whether a JSON number token is exactly how a long is written: <c>-?(0|[1-9][0-9]*)</c>, not <c>-0</c>.</summary>
    internal static bool IsPlainInteger(ReadOnlySpan<byte> token)
    {
        var digits = token.Length > 0 && token[0] == '-' ? token[1..] : token;
        return !digits.IsEmpty
            && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && (digits[0] != '0' || (digits.Length == 1 && digits.Length == token.Length));
    }

    private static ReadOnlySpan<byte> Token(ReadOnlySpan<byte> input, (int Start, int Length) range) =>
        input.Slice(range.Start, range.Length);

    private static int WriteLong(ReadOnlySpan<byte> token, long value, Span<byte> destination)
    {
        if (IsPlainInteger(token))
        {
            return Copy(token, destination);
        }

        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static int WriteDouble(ReadOnlySpan<byte> token, double value, Span<byte> destination)
    {
        if (IsShortestDecimal(token))
        {
            return Copy(token, destination);
        }

        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    /// <summary>Writes a quoted timestamp; the date part is formatted once per day seen (batches share few days).</summary>
    private int WriteTimestamp(DateTime utc, Span<byte> destination)
    {
        var day = utc.Ticks / TimeSpan.TicksPerDay;
        if (day != _day)
        {
            FormatDate(utc, _date);
            _day = day;
        }

        destination[0] = (byte)'"';
        _date.CopyTo(destination[1..]);
        FormatTime(utc, destination[1..]);
        destination[TimestampLength + 1] = (byte)'"';
        return TimestampLength + 2;
    }

    /// <summary>Writes 0 to 99 as two ASCII digits.</summary>
    private static void TwoDigits(Span<byte> destination, int value)
    {
        destination[1] = (byte)('0' + (value % 10));
        destination[0] = (byte)('0' + (value / 10));
    }

}
