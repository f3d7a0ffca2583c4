using System.Collections.ObjectModel;
using System.Text;

namespace Pipeline.Schema;

/// <summary>
/// A reusable, caller-owned destination for <see cref="RecordValidator.Validate(ReadOnlySpan{byte}, DateTimeOffset, RecordBuffer)"/>:
/// the outcome of validating one record, with string values kept as UTF-8 bytes instead of <see cref="string"/>s, so
/// that validating a valid record allocates nothing. Meant for hot loops such as the Firehose transformation.
/// </summary>
/// <remarks>
/// The contents describe the last record validated into the buffer and are replaced by the next validation. A buffer
/// is not thread-safe: use one per thread. It keeps the largest string storage it needed, so memory stays bounded by
/// the largest record seen.
/// </remarks>
public sealed class RecordBuffer
{
    private readonly FieldValue[] _values;
    private readonly int[] _stringStart;
    private readonly int[] _stringLength;
    private readonly int[] _tokenStart;
    private readonly int[] _tokenLength;
    private readonly List<RecordError> _errors = new(4);
    private byte[] _strings = new byte[256];
    private int _stringsUsed;

    /// <summary>Creates an empty buffer for records of a schema.</summary>
    /// <param name="schema">The schema of the records the buffer will hold.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    public RecordBuffer(RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _values = new FieldValue[schema.Fields.Count];
        _stringStart = new int[schema.Fields.Count];
        _stringLength = new int[schema.Fields.Count];
        _stringLength.AsSpan().Fill(-1);
        _tokenStart = new int[schema.Fields.Count];
        _tokenLength = new int[schema.Fields.Count];
        _tokenLength.AsSpan().Fill(-1);
        Errors = new ReadOnlyCollection<RecordError>(_errors);
    }

    /// <summary>The schema of the records the buffer holds.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Whether the last record validated into the buffer is valid (has no errors); false before the first.</summary>
    public bool IsValid { get; private set; }

    /// <summary>
    /// The errors of the last record, as <see cref="RecordValidationResult.Errors"/> reports them; empty for a valid
    /// record. The collection is a live view: it changes with the next validation.
    /// </summary>
    public IReadOnlyList<RecordError> Errors { get; }

    /// <summary>The event time in UTC, as <see cref="RecordValidationResult.EventTime"/> reports it.</summary>
    public DateTimeOffset? EventTime { get; private set; }

    internal Span<FieldValue> Values => _values;

    /// <summary>
    /// Whether the last record is valid and written as compact JSON (no whitespace) with its fields in schema order,
    /// no escape in any name or string and no null: then the input differs from a normalised record only in how its
    /// numbers and timestamps are spelled, which lets the normaliser copy it.
    /// </summary>
    internal bool IsPlainCompact { get; private set; }

    internal List<RecordError> ErrorList => _errors;

    /// <summary>Whether the field with the given ordinal has a value (false for an absent or null optional field).</summary>
    /// <param name="ordinal">The index of the field in <see cref="RecordSchema.Fields"/>.</param>
    /// <returns>Whether there is a value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ordinal is not that of a field.</exception>
    public bool HasValue(int ordinal)
    {
        CheckOrdinal(ordinal);
        return _values[ordinal].HasValue || _stringLength[ordinal] >= 0;
    }

    /// <summary>
    /// Returns the value of the field with the given ordinal. For a <see cref="FieldType.String"/> field this allocates
    /// the string; use <see cref="GetUtf8String"/> on hot paths.
    /// </summary>
    /// <param name="ordinal">The index of the field in <see cref="RecordSchema.Fields"/>.</param>
    /// <returns>The value, or <see cref="FieldValue.None"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ordinal is not that of a field.</exception>
    public FieldValue GetValue(int ordinal)
    {
        CheckOrdinal(ordinal);
        return _stringLength[ordinal] >= 0
            ? FieldValue.FromString(Encoding.UTF8.GetString(_strings, _stringStart[ordinal], _stringLength[ordinal]))
            : _values[ordinal];
    }

    /// <summary>Returns the value of a <see cref="FieldType.String"/> field as UTF-8 (unescaped), without allocating.</summary>
    /// <param name="ordinal">The index of the field in <see cref="RecordSchema.Fields"/>.</param>
    /// <returns>The UTF-8 bytes of the string; valid until the next validation into this buffer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ordinal is not that of a field.</exception>
    /// <exception cref="InvalidOperationException">The field has no string value.</exception>
    public ReadOnlySpan<byte> GetUtf8String(int ordinal)
    {
        CheckOrdinal(ordinal);
        var length = _stringLength[ordinal];
        if (length < 0)
        {
            throw new InvalidOperationException(
                $"Field '{Schema.Fields[ordinal].Name}' has no string value in this record.");
        }

        return _strings.AsSpan(_stringStart[ordinal], length);
    }

    /// <summary>The UTF-8 string of a field, without range checks, when it has one (hot path of the normaliser).</summary>
    internal bool TryGetUtf8String(int ordinal, out ReadOnlySpan<byte> utf8)
    {
        var length = _stringLength[ordinal];
        utf8 = length < 0 ? default : _strings.AsSpan(_stringStart[ordinal], length);
        return length >= 0;
    }

    /// <summary>
    /// Where the token of a <see cref="FieldType.Long"/>, <see cref="FieldType.Double"/> or
    /// <see cref="FieldType.Timestamp"/> value lies in the input last validated into this buffer, as written (e.g.
    /// <c>1.551e3</c>; a timestamp with its quotes), or an empty range when the field has no value. The input itself
    /// is the caller's: only it can turn the range into bytes.
    /// </summary>
    internal (int Start, int Length) GetNumberToken(int ordinal)
    {
        var length = _tokenLength[ordinal];
        return length < 0 ? default : (_tokenStart[ordinal], length);
    }

    /// <summary>Empties the buffer before a validation.</summary>
    internal void Reset()
    {
        Array.Clear(_values);
        _stringLength.AsSpan().Fill(-1);
        _tokenLength.AsSpan().Fill(-1);
        _stringsUsed = 0;
        _errors.Clear();
        IsValid = false;
        IsPlainCompact = false;
        EventTime = null;
    }

    /// <summary>Stores a string value as UTF-8.</summary>
    internal void SetString(int ordinal, ReadOnlySpan<byte> utf8)
    {
        _stringStart[ordinal] = Store(utf8);
        _stringLength[ordinal] = utf8.Length;
    }

    /// <summary>Records where the token of a number or timestamp value lies in the input (see <see cref="GetNumberToken"/>).</summary>
    internal void SetNumberToken(int ordinal, int start, int length)
    {
        _tokenStart[ordinal] = start;
        _tokenLength[ordinal] = length;
    }

    private int Store(ReadOnlySpan<byte> bytes)
    {
        if (_strings.Length - _stringsUsed < bytes.Length)
        {
            var grown = new byte[Math.Max(_strings.Length * 2, _stringsUsed + bytes.Length)];
            _strings.AsSpan(0, _stringsUsed).CopyTo(grown);
            _strings = grown;
        }

        var start = _stringsUsed;
        if (bytes.Length <= 16)
        {
            // Short values (ids, codes) are the common case: a byte loop beats a call to the general memmove.
            var destination = _strings.AsSpan(start, bytes.Length);
            for (var i = 0; i < bytes.Length; i++)
            {
                destination[i] = bytes[i];
            }
        }
        else
        {
            bytes.CopyTo(_strings.AsSpan(start));
        }

        _stringsUsed += bytes.Length;
        return start;
    }

    /// <summary>Records the outcome once a validation is complete.</summary>
    internal void Complete(DateTimeOffset? eventTime, bool plainCompact)
    {
        IsValid = _errors.Count == 0;
        EventTime = eventTime;
        IsPlainCompact = IsValid && plainCompact;
    }

    private void CheckOrdinal(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _values.Length);
    }
}
