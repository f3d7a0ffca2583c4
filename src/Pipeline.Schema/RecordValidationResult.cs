using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Schema;

/// <summary>
/// The outcome of validating one record: its errors, or its typed field values, event time and partition value.
/// </summary>
public sealed class RecordValidationResult
{
    private readonly FieldValue[] _values;
    private string? _partitionValue;

    internal RecordValidationResult(
        RecordSchema schema,
        FieldValue[] values,
        IReadOnlyList<RecordError> errors,
        DateTimeOffset? eventTime)
    {
        Schema = schema;
        _values = values;
        Errors = errors;
        EventTime = eventTime;
    }

    /// <summary>The schema the record was validated against.</summary>
    public RecordSchema Schema { get; }

    /// <summary>
    /// Whether the record is valid (has no errors); then <see cref="EventTime"/> and <see cref="PartitionValue"/> are set
    /// and <see cref="Values"/> holds every present field.
    /// </summary>
    [MemberNotNullWhen(true, nameof(PartitionValue))]
    public bool IsValid => Errors.Count == 0;

    /// <summary>All errors found, in the order of the input (missing fields last); empty for a valid record.</summary>
    public IReadOnlyList<RecordError> Errors { get; }

    /// <summary>
    /// The field values by ordinal (index in <see cref="RecordSchema.Fields"/>); <see cref="FieldValue.None"/> for an
    /// absent or null optional field. For an invalid record, only the fields that passed validation have values.
    /// </summary>
    public ReadOnlySpan<FieldValue> Values => _values;

    /// <summary>
    /// The event time normalised to UTC, when the event-time field is present, well-formed and inside the accepted
    /// window (so also for some invalid records); otherwise null.
    /// </summary>
    public DateTimeOffset? EventTime { get; }

    /// <summary>
    /// The partition value (UTC date of <see cref="EventTime"/>, <c>yyyy-MM-dd</c>), or null when
    /// <see cref="EventTime"/> is null. Formatted on first access.
    /// </summary>
    public string? PartitionValue =>
        _partitionValue ??= EventTime is { } eventTime ? Schema.PartitionValue(eventTime) : null;

    /// <summary>Returns the value of the field with the given ordinal.</summary>
    /// <param name="ordinal">The index of the field in <see cref="RecordSchema.Fields"/>.</param>
    /// <returns>The value, or <see cref="FieldValue.None"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ordinal is not that of a field.</exception>
    public FieldValue GetValue(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _values.Length);
        return _values[ordinal];
    }

    /// <summary>Returns the value of the field with the given name.</summary>
    /// <param name="fieldName">The field name.</param>
    /// <returns>The value, or <see cref="FieldValue.None"/>.</returns>
    /// <exception cref="ArgumentException">The schema has no such field.</exception>
    public FieldValue GetValue(string fieldName)
    {
        var ordinal = Schema.IndexOf(fieldName);
        if (ordinal < 0)
        {
            throw new ArgumentException($"Schema '{Schema.Name}' has no field '{fieldName}'.", nameof(fieldName));
        }

        return _values[ordinal];
    }
}
