namespace Pipeline.Training.Drift;

/// <summary>
/// What a model's training data looked like, feature by feature, computed at training time over the train split and
/// stored beside the model (<c>models/&lt;run&gt;/drift-baseline.json</c>): the reference every drift window is
/// compared with.
/// </summary>
public sealed record DriftBaseline
{
    /// <summary>The record schema the features belong to.</summary>
    public required string Schema { get; init; }

    /// <summary>The training run whose train split this describes.</summary>
    public required string Run { get; init; }

    /// <summary>Rows of the train split.</summary>
    public required long Rows { get; init; }

    /// <summary>The numeric features, in the schema's order.</summary>
    public required IReadOnlyList<NumericBaseline> Numeric { get; init; }

    /// <summary>The categorical features, in the schema's order.</summary>
    public required IReadOnlyList<CategoricalBaseline> Categorical { get; init; }

    /// <summary>The model's scores on the validation split, when the run recorded them.</summary>
    /// <value>Default: none; prediction drift is then not measured.</value>
    public NumericBaseline? Scores { get; init; }
}

/// <summary>A numeric feature at training time.</summary>
/// <param name="Feature">The field name.</param>
/// <param name="Count">Rows with a value.</param>
/// <param name="MissingShare">Share of rows without a value.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Mean">The mean.</param>
/// <param name="StandardDeviation">The sample standard deviation.</param>
/// <param name="BinEdges">
/// Strictly increasing quantile edges e₁ … eₖ; bin 0 is below e₁, bin i is [eᵢ, eᵢ₊₁), bin k is eₖ and above.
/// </param>
/// <param name="BinShares">The share of the values in each of the k + 1 bins.</param>
public sealed record NumericBaseline(
    string Feature, long Count, double MissingShare, double Min, double Max, double Mean, double StandardDeviation,
    IReadOnlyList<double> BinEdges, IReadOnlyList<double> BinShares)
{
    /// <summary>The bin <paramref name="value"/> falls in.</summary>
    public int BinOf(double value)
    {
        var bin = 0;
        while (bin < BinEdges.Count && value >= BinEdges[bin])
        {
            bin++;
        }

        return bin;
    }
}

/// <summary>A categorical feature at training time.</summary>
/// <param name="Feature">The field name.</param>
/// <param name="Count">Rows with a value.</param>
/// <param name="MissingShare">Share of rows without a value.</param>
/// <param name="Shares">The share of each category among the rows with a value, in the schema's order.</param>
public sealed record CategoricalBaseline(string Feature, long Count, double MissingShare, IReadOnlyList<KeyValuePair<string, double>> Shares);
