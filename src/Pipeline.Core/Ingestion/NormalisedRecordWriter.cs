using System.Globalization;
using System.Text;
using Pipeline.Core.Schema;

namespace Pipeline.Core.Ingestion;

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
    private byte[] _buffer = new byte[1024];

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

    /// <summary>Writes the normalised JSON of a valid record; the bytes are valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(RecordBuffer record)
    {
        var length = 0;
        Append((byte)'{', ref length);
        var first = true;
        for (var i = 0; i < _prefixes.Length; i++)
        {
            if (!record.HasValue(i))
            {
                continue;
            }

            var prefix = _prefixes[i];
            var type = _types[i];
            var utf8 = type == FieldType.String ? record.GetUtf8String(i) : default;
            var valueRoom = type == FieldType.String ? JsonStringEscaper.TokenLength(utf8) : MaxNumberLength;
            Ensure(length + 1 + prefix.Length + valueRoom + 1);
            if (!first)
            {
                _buffer[length++] = (byte)',';
            }

            first = false;
            prefix.CopyTo(_buffer, length);
            length += prefix.Length;
            var destination = _buffer.AsSpan(length);
            switch (type)
            {
                case FieldType.String:
                    length += JsonStringEscaper.WriteToken(utf8, destination);
                    break;
                case FieldType.Long:
                    length += WriteLong(record.GetNumberToken(i), record.GetValue(i).AsInt64(), destination);
                    break;
                case FieldType.Double:
                    length += WriteDouble(record.GetNumberToken(i), record.GetValue(i).AsDouble(), destination);
                    break;
                case FieldType.Boolean:
                    length += record.GetValue(i).AsBoolean() ? Copy("true"u8, destination) : Copy("false"u8, destination);
                    break;
                default:
                    destination[0] = (byte)'"';
                    FormatTimestamp(record.GetValue(i).AsTimestamp(), destination[1..]);
                    destination[TimestampLength + 1] = (byte)'"';
                    length += TimestampLength + 2;
                    break;
            }
        }

        Append((byte)'}', ref length);
        return _buffer.AsSpan(0, length);
    }

    /// <summary>Formats a UTC timestamp as <c>yyyy-MM-dd HH:mm:ss.fff</c> (23 ASCII bytes), truncating below the millisecond.</summary>
    public static void FormatTimestamp(DateTimeOffset value, Span<byte> destination)
    {
        var utc = value.UtcDateTime;
        FormatDate(utc, destination);
        var timeOfDay = utc.TimeOfDay;
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), timeOfDay.Hours);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), timeOfDay.Minutes);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), timeOfDay.Seconds);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), timeOfDay.Milliseconds);
    }

    /// <summary>Formats the date of a UTC date-time as <c>yyyy-MM-dd</c> (10 ASCII bytes).</summary>
    public static void FormatDate(DateTime utc, Span<byte> destination)
    {
        DateOnly.FromDateTime(utc).Deconstruct(out var year, out var month, out var day);
        Digits(destination[..4], year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), day);
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

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private void Append(byte value, ref int length)
    {
        Ensure(length + 1);
        _buffer[length++] = value;
    }

    private void Ensure(int capacity)
    {
        if (_buffer.Length < capacity)
        {
            Array.Resize(ref _buffer, Math.Max(capacity, _buffer.Length * 2));
        }
    }
}
