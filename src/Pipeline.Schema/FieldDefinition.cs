namespace Pipeline.Schema;

/// <summary>
/// One field of a <see cref="RecordSchema"/>: its name (the JSON property and the Glue column), type and constraints.
/// </summary>
/// <remarks>
/// A definition is checked when a <see cref="RecordSchema"/> is built from it: the constraints must fit the type
/// (<see cref="Minimum"/> and <see cref="Maximum"/> for numbers; <see cref="MinLength"/>, <see cref="MaxLength"/>,
/// <see cref="Pattern"/> and <see cref="AllowedValues"/> for strings).
/// </remarks>
public sealed record FieldDefinition
{
    /// <summary>The field name in snake_case (<c>^[a-z][a-z0-9_]*$</c>): the JSON property name and the Glue column name.</summary>
    public required string Name { get; init; }

    /// <summary>The field type.</summary>
    public required FieldType Type { get; init; }

    /// <summary>Whether every record must carry the field with a non-null value.</summary>
    public bool Required { get; init; }

    /// <summary>What the field means; used as the Glue column comment (at most 255 characters).</summary>
    public required string Description { get; init; }

    /// <summary>The unit of a numeric value (e.g. <c>K</c>, <c>rpm</c>), or null when it has none.</summary>
    public string? Unit { get; init; }

    /// <summary>The smallest allowed value (inclusive) of a <see cref="FieldType.Long"/> or <see cref="FieldType.Double"/> field.</summary>
    public double? Minimum { get; init; }

    /// <summary>The largest allowed value (inclusive) of a <see cref="FieldType.Long"/> or <see cref="FieldType.Double"/> field.</summary>
    public double? Maximum { get; init; }

    /// <summary>
    /// The smallest allowed length of a <see cref="FieldType.String"/> field, in Unicode scalar values (runes: a
    /// character outside the Basic Multilingual Plane, such as an emoji, counts once).
    /// </summary>
    public int? MinLength { get; init; }

    /// <summary>
    /// The largest allowed length of a <see cref="FieldType.String"/> field, in Unicode scalar values (runes: a
    /// character outside the Basic Multilingual Plane, such as an emoji, counts once).
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// A regular expression a <see cref="FieldType.String"/> value must match, or null. It is searched for in the value
    /// (like JSON Schema's <c>pattern</c>), so anchor it with <c>^</c> and <c>$</c> to constrain the whole value; a final
    /// <c>$</c> means the very end of the value (as in ECMAScript, not before a trailing newline as in .NET).
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>
    /// The only values a <see cref="FieldType.String"/> field may take (compared ordinally, case-sensitive), or null for
    /// any value. A copy of the given list is kept.
    /// </summary>
    public IReadOnlyList<string>? AllowedValues
    {
        get;
        init => field = value is null ? null : Array.AsReadOnly(value.ToArray());
    }

    /// <summary>
    /// What the field is to a model trained on the schema (identifier, numeric or categorical feature, or label);
    /// <see cref="FieldRole.Unassigned"/> by default. Checked by <see cref="RecordSchema"/>: see <see cref="RecordSchema.TrainingRoles"/>.
    /// </summary>
    public FieldRole Role { get; init; }

    /// <summary>The Glue (Hive) column type: <c>string</c>, <c>bigint</c>, <c>double</c>, <c>boolean</c> or <c>timestamp</c>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Type"/> is not a defined <see cref="FieldType"/>.</exception>
    public string GlueType => Type switch
    {
        FieldType.String => "string",
        FieldType.Long => "bigint",
        FieldType.Double => "double",
        FieldType.Boolean => "boolean",
        FieldType.Timestamp => "timestamp",
        _ => throw new InvalidOperationException($"Field '{Name}' has undefined type {(int)Type}."),
    };

    /// <summary>Compares all properties, the allowed values element by element.</summary>
    /// <param name="other">The definition to compare with.</param>
    /// <returns>Whether both definitions are the same.</returns>
    public bool Equals(FieldDefinition? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && Type == other.Type
            && Required == other.Required
            && string.Equals(Description, other.Description, StringComparison.Ordinal)
            && string.Equals(Unit, other.Unit, StringComparison.Ordinal)
            && Nullable.Equals(Minimum, other.Minimum)
            && Nullable.Equals(Maximum, other.Maximum)
            && MinLength == other.MinLength
            && MaxLength == other.MaxLength
            && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal)
            && SameValues(AllowedValues, other.AllowedValues)
            && Role == other.Role;
    }

    /// <summary>Hashes the properties <see cref="Equals(FieldDefinition?)"/> compares.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Type);
        hash.Add(Required);
        hash.Add(Minimum);
        hash.Add(Maximum);
        hash.Add(MinLength);
        hash.Add(MaxLength);
        hash.Add(Pattern, StringComparer.Ordinal);
        hash.Add(AllowedValues?.Count ?? -1);
        hash.Add(Role);
        return hash.ToHashCode();
    }

    private static bool SameValues(IReadOnlyList<string>? left, IReadOnlyList<string>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        for (var i = 0; i < left.Count; i++)
        {
            if (!string.Equals(left[i], right[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
