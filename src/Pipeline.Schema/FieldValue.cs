using System.Globalization;

namespace Pipeline.Schema;

/// <summary>
/// The typed value of one field of a validated record, without boxing: a string, long, double, boolean or UTC
/// timestamp, or no value (<c>default</c>) for an absent or null optional field.
/// </summary>
/// <remarks>
/// The accessors are strict: <see cref="AsDouble"/> on a <see cref="FieldType.Long"/> value throws rather than
/// converting. Equality compares the type and the exact value (doubles bit for bit).
/// </remarks>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly string? _string;
    private readonly long _bits;
    private readonly FieldType _type;
    private readonly bool _hasValue;

    private FieldValue(FieldType type, long bits, string? text)
    {
        _type = type;
        _bits = bits;
        _string = text;
        _hasValue = true;
    }

    /// <summary>No value: the field was absent or null.</summary>
    public static FieldValue None => default;

    /// <summary>Whether the field has a value.</summary>
    public bool HasValue => _hasValue;

    /// <summary>The type of the value, or null when there is none.</summary>
    public FieldType? Type => _hasValue ? _type : null;

    /// <summary>Creates a <see cref="FieldType.String"/> value.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static FieldValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(FieldType.String, 0, value);
    }

    /// <summary>Creates a <see cref="FieldType.Long"/> value.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromInt64(long value) => new(FieldType.Long, value, null);

    /// <summary>Creates a <see cref="FieldType.Double"/> value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromDouble(double value) => new(FieldType.Double, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>Creates a <see cref="FieldType.Boolean"/> value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromBoolean(bool value) => new(FieldType.Boolean, value ? 1 : 0, null);

    /// <summary>Creates a <see cref="FieldType.Timestamp"/> value; the instant is kept, the offset normalised to UTC.</summary>
    /// <param name="value">The timestamp.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromTimestamp(DateTimeOffset value) => new(FieldType.Timestamp, value.UtcTicks, null);

    /// <summary>Returns the <see cref="FieldType.String"/> value.</summary>
    /// <returns>The string.</returns>
    /// <exception cref="InvalidOperationException">There is no value or it has another type.</exception>
    public string AsString()
    {
        Require(FieldType.String);
        return _string!;
    }

    /// <summary>Returns the <see cref="FieldType.Long"/> value.</summary>
    /// <returns>The integer.</returns>
    /// <exception cref="InvalidOperationException">There is no value or it has another type.</exception>
    public long AsInt64()
    {
        Require(FieldType.Long);
        return _bits;
    }

    /// <summary>Returns the <see cref="FieldType.Double"/> value.</summary>
    /// <returns>The number.</returns>
    /// <exception cref="InvalidOperationException">There is no value or it has another type.</exception>
    public double AsDouble()
    {
        Require(FieldType.Double);
        return BitConverter.Int64BitsToDouble(_bits);
    }

    /// <summary>Returns the <see cref="FieldType.Boolean"/> value.</summary>
    /// <returns>The boolean.</returns>
    /// <exception cref="InvalidOperationException">There is no value or it has another type.</exception>
    public bool AsBoolean()
    {
        Require(FieldType.Boolean);
        return _bits != 0;
    }

    /// <summary>Returns the <see cref="FieldType.Timestamp"/> value, in UTC (offset zero).</summary>
    /// <returns>The timestamp.</returns>
    /// <exception cref="InvalidOperationException">There is no value or it has another type.</exception>
    public DateTimeOffset AsTimestamp()
    {
        Require(FieldType.Timestamp);
        return new DateTimeOffset(_bits, TimeSpan.Zero);
    }

    /// <summary>
    /// The value as invariant text: the string itself, an integer, a round-trip double, <c>true</c>/<c>false</c>,
    /// an ISO-8601 UTC timestamp (<c>O</c> format), or an empty string when there is no value.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (!_hasValue)
        {
            return string.Empty;
        }

        return _type switch
        {
            FieldType.String => _string!,
            FieldType.Long => _bits.ToString(CultureInfo.InvariantCulture),
            FieldType.Double => BitConverter.Int64BitsToDouble(_bits).ToString("R", CultureInfo.InvariantCulture),
            FieldType.Boolean => _bits != 0 ? "true" : "false",
            _ => AsTimestamp().ToString("O", CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc/>
    public bool Equals(FieldValue other) =>
        _hasValue == other._hasValue
        && _type == other._type
        && _bits == other._bits
        && string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_hasValue, _type, _bits, _string);

    /// <summary>Whether two values are equal.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    /// <summary>Whether two values differ.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    private void Require(FieldType type)
    {
        if (!_hasValue)
        {
            throw new InvalidOperationException($"The field has no value; cannot read it as {type}.");
        }

        if (_type != type)
        {
            throw new InvalidOperationException($"The field holds a {_type} value; cannot read it as {type}.");
        }
    }
}
