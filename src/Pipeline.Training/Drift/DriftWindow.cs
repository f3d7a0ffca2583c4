namespace Pipeline.Training.Drift;

/// <summary>
/// The captured requests of one window, counted with the served model's baseline bins (the drift query's result).
/// </summary>
public sealed record DriftWindow
{
    /// <summary>Captured requests in the window.</summary>
    public required long Rows { get; init; }

    /// <summary>The numeric features, counted in the baseline's bins.</summary>
    public required IReadOnlyList<NumericWindow> Numeric { get; init; }

    /// <summary>The categorical features' counts.</summary>
    public required IReadOnlyList<CategoricalWindow> Categorical { get; init; }

    /// <summary>Records that broke the schema.</summary>
    public required SchemaViolations Violations { get; init; }

    /// <summary>The scores the endpoint answered with, in the baseline's score bins.</summary>
    /// <value>Default: none; prediction drift is then not measured.</value>
    public NumericWindow? Scores { get; init; }
}

/// <summary>A numeric feature in a window.</summary>
/// <param name="Feature">The field name.</param>
/// <param name="Missing">Rows without a (numeric) value.</param>
/// <param name="BelowMin">Values below the baseline's minimum.</param>
/// <param name="AboveMax">Values above the baseline's maximum.</param>
/// <param name="BinCounts">Values in each of the baseline's bins.</param>
public sealed record NumericWindow(string Feature, long Missing, long BelowMin, long AboveMax, IReadOnlyList<long> BinCounts);

/// <summary>A categorical feature in a window.</summary>
/// <param name="Feature">The field name.</param>
/// <param name="Missing">Rows without a value.</param>
/// <param name="Counts">Rows per category, the baseline's and any other seen.</param>
public sealed record CategoricalWindow(string Feature, long Missing, IReadOnlyList<KeyValuePair<string, long>> Counts);

/// <summary>Captured records that do not fit the schema.</summary>
/// <param name="UnknownFields">Records with a field the schema does not have.</param>
/// <param name="MissingFields">Records without a required field.</param>
/// <param name="WrongTypes">Records with a value of the wrong type.</param>
public sealed record SchemaViolations(long UnknownFields, long MissingFields, long WrongTypes)
{
    /// <summary>All violations.</summary>
    public long Total => UnknownFields + MissingFields + WrongTypes;
}
