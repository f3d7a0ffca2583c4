using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pipeline.Schema;

/// <summary>
/// The definition of the pipeline's record: its fields, event-time field, label field, partition key and accepted
/// event-time window. Everything downstream (validation, the Glue table, partitioning) is generic over this type.
/// </summary>
/// <remarks>
/// The constructor checks the definition itself and throws <see cref="ArgumentException"/> with a message naming the
/// problem: names must be unique snake_case, constraints must fit their field's type, the event-time field must be a
/// required <see cref="FieldType.Timestamp"/>, the label field a required <see cref="FieldType.Boolean"/> or
/// <see cref="FieldType.Long"/>, and the partition key must not repeat a field name. Field roles, when declared, must be
/// consistent (see <see cref="TrainingRoles"/>). Instances are immutable.
/// </remarks>
public sealed class RecordSchema
{
    /// <summary>The default partition key: the Glue partition column and the Firehose dynamic-partitioning key.</summary>
    public const string DefaultPartitionKey = "event_date";

    /// <summary>
    /// The format of <see cref="PartitionValue(DateTimeOffset)"/> (a UTC date), in .NET notation; Glue partition
    /// projection spells it the same way (<c>yyyy-MM-dd</c>).
    /// </summary>
    public const string PartitionValueFormat = "yyyy-MM-dd";

    /// <summary>The largest length of a schema, field or partition-key name (Glue's limit for names).</summary>
    public const int MaxNameLength = 255;

    /// <summary>The largest length of a field description (Glue's limit for a column comment).</summary>
    public const int MaxDescriptionLength = 255;

    private readonly Dictionary<string, int> _ordinals;
    private readonly TrainingRoles? _trainingRoles;

    /// <summary>Creates a schema and checks that the definition is consistent.</summary>
    /// <param name="name">The schema name in snake_case, e.g. the Glue table name.</param>
    /// <param name="fields">The fields, in column order.</param>
    /// <param name="eventTimeFieldName">The name of the required timestamp field that holds the event time.</param>
    /// <param name="labelFieldName">The name of the required boolean or long field a model learns to predict.</param>
    /// <param name="earliestEventTime">The earliest accepted event time (inclusive), e.g. the start of partition projection.</param>
    /// <param name="maxFutureSkew">How far past "now" an event time may lie (clock skew of producers); not negative.</param>
    /// <param name="partitionKey">The partition column name, snake_case and not a field name.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The definition is inconsistent; the message says how.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFutureSkew"/> is negative.</exception>
    public RecordSchema(
        string name,
        IEnumerable<FieldDefinition> fields,
        string eventTimeFieldName,
        string labelFieldName,
        DateTimeOffset earliestEventTime,
        TimeSpan maxFutureSkew,
        string partitionKey = DefaultPartitionKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(eventTimeFieldName);
        ArgumentNullException.ThrowIfNull(labelFieldName);
        ArgumentNullException.ThrowIfNull(partitionKey);

        if (!IsSnakeCase(name))
        {
            throw new ArgumentException(
                $"Schema name '{name}' must be snake_case (^[a-z][a-z0-9_]*$, at most {MaxNameLength} characters).",
                nameof(name));
        }

        var list = fields.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException($"Schema '{name}' needs at least one field.", nameof(fields));
        }

        _ordinals = new Dictionary<string, int>(list.Length, StringComparer.Ordinal);
        for (var i = 0; i < list.Length; i++)
        {
            var field = list[i] ?? throw new ArgumentException(
                $"Schema '{name}': field {i} is null.", nameof(fields));
            FieldCheck.Check(field, i, nameof(fields));
            if (!_ordinals.TryAdd(field.Name, i))
            {
                throw new ArgumentException(
                    $"Schema '{name}': field name '{field.Name}' is defined more than once; names must be unique.",
                    nameof(fields));
            }
        }

        Fields = Array.AsReadOnly(list);
        var eventTime = FindField(eventTimeFieldName) ?? throw new ArgumentException(
            $"Schema '{name}': event-time field '{eventTimeFieldName}' is not one of its fields.",
            nameof(eventTimeFieldName));
        if (eventTime.Type != FieldType.Timestamp || !eventTime.Required)
        {
            throw new ArgumentException(
                $"Schema '{name}': event-time field '{eventTimeFieldName}' must be a required Timestamp field; " +
                $"it is {(eventTime.Required ? "a required" : "an optional")} {eventTime.Type} field.",
                nameof(eventTimeFieldName));
        }

        var label = FindField(labelFieldName) ?? throw new ArgumentException(
            $"Schema '{name}': label field '{labelFieldName}' is not one of its fields.",
            nameof(labelFieldName));
        if (label.Type is not (FieldType.Boolean or FieldType.Long) || !label.Required)
        {
            throw new ArgumentException(
                $"Schema '{name}': label field '{labelFieldName}' must be a required Boolean or Long field; " +
                $"it is {(label.Required ? "a required" : "an optional")} {label.Type} field.",
                nameof(labelFieldName));
        }

        if (!IsSnakeCase(partitionKey))
        {
            throw new ArgumentException(
                $"Schema '{name}': partition key '{partitionKey}' must be snake_case " +
                $"(^[a-z][a-z0-9_]*$, at most {MaxNameLength} characters).",
                nameof(partitionKey));
        }

        if (_ordinals.ContainsKey(partitionKey))
        {
            throw new ArgumentException(
                $"Schema '{name}': partition key '{partitionKey}' is also a field name; " +
                "a Glue partition column must not repeat a data column.",
                nameof(partitionKey));
        }

        if (maxFutureSkew < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxFutureSkew),
                $"Schema '{name}': maxFutureSkew must be zero or positive; was {maxFutureSkew:c}.");
        }

        _trainingRoles = TrainingRoles.Create(name, Fields, label, nameof(fields));
        Name = name;
        EventTimeField = eventTime;
        LabelField = label;
        PartitionKey = partitionKey;
        EarliestEventTime = earliestEventTime.ToUniversalTime();
        MaxFutureSkew = maxFutureSkew;
    }

    /// <summary>The schema name, e.g. the Glue table name.</summary>
    public string Name { get; }

    /// <summary>The fields in column order; a field's index is its ordinal.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>The required timestamp field that holds the event time (it decides the partition).</summary>
    public FieldDefinition EventTimeField { get; }

    /// <summary>The required boolean or long field a model learns to predict.</summary>
    public FieldDefinition LabelField { get; }

    /// <summary>Whether the fields declare <see cref="FieldRole"/>s, so that a model can be trained on the schema.</summary>
    public bool HasTrainingRoles => _trainingRoles is not null;

    /// <summary>
    /// The fields by <see cref="FieldRole"/>, checked when the schema was built: every field has a role, exactly one
    /// (the <see cref="LabelField"/>, Boolean) is the label, numeric features are Long or Double, categorical features
    /// are Strings with allowed values.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fields declare no roles.</exception>
    public TrainingRoles TrainingRoles => _trainingRoles ?? throw new InvalidOperationException(
        $"Schema '{Name}' declares no ML roles; set FieldDefinition.Role on every field (Identifier, NumericFeature, " +
        "CategoricalFeature or Label) to train a model on it.");

    /// <summary>The partition column name (and Firehose partition key), by default <see cref="DefaultPartitionKey"/>.</summary>
    public string PartitionKey { get; }

    /// <summary>The earliest accepted event time (inclusive), in UTC.</summary>
    public DateTimeOffset EarliestEventTime { get; }

    /// <summary>How far past "now" an accepted event time may lie (inclusive).</summary>
    public TimeSpan MaxFutureSkew { get; }

    /// <summary>Returns the field with the given name (ordinal, case-sensitive comparison), or null.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The field definition, or null when the schema has no such field.</returns>
    public FieldDefinition? FindField(string name) => IndexOf(name) is var i and >= 0 ? Fields[i] : null;

    /// <summary>Returns the ordinal (index in <see cref="Fields"/>) of the field with the given name, or -1.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The ordinal, or -1 when the schema has no such field.</returns>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _ordinals.TryGetValue(name, out var i) ? i : -1;
    }

    /// <summary>The latest accepted event time (inclusive): <paramref name="now"/> + <see cref="MaxFutureSkew"/>, in UTC.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The end of the window; <see cref="DateTimeOffset.MaxValue"/> when the sum would not be representable.</returns>
    public DateTimeOffset LatestEventTime(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        return ticks > DateTimeOffset.MaxValue.UtcTicks - MaxFutureSkew.Ticks
            ? DateTimeOffset.MaxValue
            : new DateTimeOffset(ticks + MaxFutureSkew.Ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// The value of the <see cref="PartitionKey"/> for an event time: its UTC date as <c>yyyy-MM-dd</c> (invariant
    /// culture), e.g. <c>2026-11-22</c> for <c>2026-11-21T23:30:00-02:00</c>.
    /// </summary>
    /// <param name="eventTime">The event time.</param>
    /// <returns>The UTC date of the event time.</returns>
    [SuppressMessage(
        "Performance",
        "CA1822:Mark members as static",
        Justification = "Partitioning is part of a schema's contract; callers use schema.PartitionValue(...).")]
    public string PartitionValue(DateTimeOffset eventTime) =>
        eventTime.UtcDateTime.ToString(PartitionValueFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes <see cref="PartitionValue(DateTimeOffset)"/> as UTF-8 without allocating (10 bytes for years 1 to 9999).
    /// </summary>
    /// <param name="eventTime">The event time.</param>
    /// <param name="utf8Destination">Where to write.</param>
    /// <param name="bytesWritten">How many bytes were written.</param>
    /// <returns>Whether the destination was large enough.</returns>
    [SuppressMessage(
        "Performance",
        "CA1822:Mark members as static",
        Justification = "Partitioning is part of a schema's contract; callers use schema.TryFormatPartitionValue(...).")]
    public bool TryFormatPartitionValue(DateTimeOffset eventTime, Span<byte> utf8Destination, out int bytesWritten) =>
        eventTime.UtcDateTime.TryFormat(utf8Destination, out bytesWritten, PartitionValueFormat, CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({string.Join(", ", Fields.Select(f => f.Name))})";

    /// <summary>Whether a name is snake_case: <c>^[a-z][a-z0-9_]*$</c> and at most <see cref="MaxNameLength"/> characters.</summary>
    internal static bool IsSnakeCase(string name)
    {
        if (name.Length is 0 or > MaxNameLength || !char.IsAsciiLetterLower(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
