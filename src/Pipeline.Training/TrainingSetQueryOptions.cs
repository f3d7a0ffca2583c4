namespace Pipeline.Training;

/// <summary>Where the training data lives and how it is split; checked by <see cref="TrainingSetQuery"/>.</summary>
public sealed record TrainingSetQueryOptions
{
    /// <summary>The default share of records in the validation channel: 0.2.</summary>
    public const double DefaultValidationFraction = 0.2;

    /// <summary>The Glue database of the curated table: 1 to 255 lowercase letters, digits and underscores.</summary>
    public required string Database { get; init; }

    /// <summary>The table name; null for the schema's name (the curated table is named after the schema).</summary>
    public string? Table { get; init; }

    /// <summary>
    /// The share of records in the validation channel, strictly between 0 and 1, applied in steps of 1/10,000.
    /// </summary>
    public double ValidationFraction { get; init; } = DefaultValidationFraction;
}
