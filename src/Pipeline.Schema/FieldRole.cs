namespace Pipeline.Schema;

/// <summary>
/// What a field is to a model trained on the schema: part of the record's identity or context (never an input), a
/// numeric input, a categorical input (one-hot encoded from its allowed values), or the label to predict.
/// </summary>
/// <remarks>
/// Roles are all or nothing: a schema whose fields declare no role can be ingested and queried but not trained on; once
/// one field declares a role, every field must (see <see cref="RecordSchema.TrainingRoles"/>).
/// </remarks>
public enum FieldRole
{
    /// <summary>No role declared (the default).</summary>
    Unassigned = 0,

    /// <summary>
    /// Identifies or describes the record and is never a model input (e.g. <c>device_id</c>, <c>site_id</c>,
    /// <c>event_time</c>). The required identifiers form the record identity the training split hashes.
    /// </summary>
    Identifier,

    /// <summary>A <see cref="FieldType.Long"/> or <see cref="FieldType.Double"/> model input, one column as is.</summary>
    NumericFeature,

    /// <summary>
    /// A <see cref="FieldType.String"/> model input with <see cref="FieldDefinition.AllowedValues"/>: one 0/1 column per
    /// allowed value, in the order listed.
    /// </summary>
    CategoricalFeature,

    /// <summary>The required <see cref="FieldType.Boolean"/> value a binary classifier predicts; exactly one per schema.</summary>
    Label,
}

/// <summary>
/// The validated machine-learning view of a <see cref="RecordSchema"/>: its fields grouped by <see cref="FieldRole"/>,
/// each group in schema order.
/// </summary>
public sealed class TrainingRoles
{
    internal TrainingRoles(
        FieldDefinition label,
        IReadOnlyList<FieldDefinition> identifiers,
        IReadOnlyList<FieldDefinition> numericFeatures,
        IReadOnlyList<FieldDefinition> categoricalFeatures)
    {
        Label = label;
        Identifiers = identifiers;
        RecordIdentity = Array.AsReadOnly(identifiers.Where(f => f.Required).ToArray());
        NumericFeatures = numericFeatures;
        CategoricalFeatures = categoricalFeatures;
    }

    /// <summary>The label field: required, <see cref="FieldType.Boolean"/>, the schema's <see cref="RecordSchema.LabelField"/>.</summary>
    public FieldDefinition Label { get; }

    /// <summary>The fields with <see cref="FieldRole.Identifier"/>: never model inputs.</summary>
    public IReadOnlyList<FieldDefinition> Identifiers { get; }

    /// <summary>
    /// The required identifiers (always including the event-time field): what makes one record distinct, hashed to
    /// assign a record to the training or validation channel. Optional identifiers are left out because a missing value
    /// would make the identity ambiguous.
    /// </summary>
    public IReadOnlyList<FieldDefinition> RecordIdentity { get; }

    /// <summary>The <see cref="FieldRole.NumericFeature"/> fields.</summary>
    public IReadOnlyList<FieldDefinition> NumericFeatures { get; }

    /// <summary>The <see cref="FieldRole.CategoricalFeature"/> fields (each a String with allowed values).</summary>
    public IReadOnlyList<FieldDefinition> CategoricalFeatures { get; }

    /// <summary>
    /// Checks the roles of a schema's fields; returns null when no field declares a role, throws when the roles are
    /// inconsistent.
    /// </summary>
    internal static TrainingRoles? Create(string schemaName, IReadOnlyList<FieldDefinition> fields, FieldDefinition labelField, string paramName)
    {
        if (fields.All(f => f.Role == FieldRole.Unassigned))
        {
            return null;
        }

        var identifiers = new List<FieldDefinition>();
        var numeric = new List<FieldDefinition>();
        var categorical = new List<FieldDefinition>();
        var labels = new List<FieldDefinition>();
        foreach (var field in fields)
        {
            switch (field.Role)
            {
                case FieldRole.Unassigned:
                    throw new ArgumentException(
                        $"Schema '{schemaName}': field '{field.Name}' has no Role; once any field declares a role, every " +
                        "field must (Identifier, NumericFeature, CategoricalFeature or Label).",
                        paramName);
                case FieldRole.Identifier:
                    identifiers.Add(field);
                    break;
                case FieldRole.NumericFeature when field.Type is FieldType.Long or FieldType.Double:
                    numeric.Add(field);
                    break;
                case FieldRole.NumericFeature:
                    throw new ArgumentException(
                        $"Schema '{schemaName}': field '{field.Name}' is a NumericFeature but a {field.Type} field; " +
                        "numeric features must be Long or Double (make it an Identifier, or a CategoricalFeature if it is a String with AllowedValues).",
                        paramName);
                case FieldRole.CategoricalFeature when field.Type == FieldType.String && field.AllowedValues is not null:
                    categorical.Add(field);
                    break;
                case FieldRole.CategoricalFeature:
                    throw new ArgumentException(
                        $"Schema '{schemaName}': field '{field.Name}' is a CategoricalFeature but " +
                        (field.Type == FieldType.String ? "has no AllowedValues" : $"a {field.Type} field") +
                        "; categorical features must be String fields with AllowedValues (one 0/1 column per allowed value).",
                        paramName);
                case FieldRole.Label:
                    labels.Add(field);
                    break;
                default:
                    throw new ArgumentException(
                        $"Schema '{schemaName}': field '{field.Name}' has undefined role {(int)field.Role}.", paramName);
            }
        }

        if (labels.Count != 1)
        {
            throw new ArgumentException(
                $"Schema '{schemaName}': exactly one field must have Role Label; found {labels.Count}" +
                (labels.Count == 0 ? string.Empty : $" ({string.Join(", ", labels.Select(f => f.Name))})") + ".",
                paramName);
        }

        var label = labels[0];
        if (!string.Equals(label.Name, labelField.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Schema '{schemaName}': field '{label.Name}' has Role Label but the schema's label field is '{labelField.Name}'; " +
                "give the Label role to the label field.",
                paramName);
        }

        if (label.Type != FieldType.Boolean)
        {
            throw new ArgumentException(
                $"Schema '{schemaName}': label field '{label.Name}' must be Boolean to train a binary classifier; it is {label.Type}.",
                paramName);
        }

        return new TrainingRoles(label, identifiers.AsReadOnly(), numeric.AsReadOnly(), categorical.AsReadOnly());
    }
}
