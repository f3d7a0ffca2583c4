using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Schema;
using Pipeline.Training;

namespace Pipeline.Training.Drift;

/// <summary>
/// Generates the Athena (Trino) statement that counts one window of the endpoint's data capture in the served model's
/// baseline bins, and reads its one result row back as a <see cref="DriftWindow"/>.
/// </summary>
/// <remarks>
/// <para>
/// The capture table has SageMaker's documented capture record as columns (<c>capturedata.endpointinput.data</c>, the
/// request's CSV in the model's input order, <see cref="TrainingSetQuery.FeatureNames"/>; <c>capturedata.endpointoutput</c>,
/// the score), an <c>endpoint</c> partition injected from the query, and a <c>capture_hour</c> partition projected from
/// the capture path's <c>yyyy/MM/dd/HH</c>, so the window's bounds are string literals that order like the hours they
/// spell and Athena reads only that endpoint's hours.
/// </para>
/// <para>
/// Only functions whose meaning Trino and DuckDB share are used (<c>split_part</c> with an empty field read as missing,
/// <c>TRY_CAST</c>, <c>CASE</c>, <c>sum</c>), so the same text runs on DuckDB in the tests. A request is one CSV row
/// (its line breaks removed, so a trailing one is harmless and a second row shows as unknown fields);
/// a field count other than the model's is a schema violation (more: unknown fields, fewer: missing fields), and so is a
/// value that is not a number (or a one-hot value other than 0 or 1). A categorical feature whose one-hot columns are
/// all 0 is missing, as in training, where an unknown value is encoded the same way.
/// </para>
/// </remarks>
public sealed partial class DriftWindowQuery
{
    private readonly TrainingSetQuery _layout;
    private readonly DriftBaseline _baseline;
    private readonly string _from;

    /// <summary>Prepares the statement for windows of the capture table <paramref name="database"/>.<paramref name="table"/>.</summary>
    /// <param name="layout">The model's input layout (the training run's query).</param>
    /// <param name="baseline">The served model's baseline, whose features must be the layout's.</param>
    /// <param name="database">The Glue database.</param>
    /// <param name="table">The capture table.</param>
    /// <exception cref="ArgumentException">A name is not a Glue name, or the baseline is not of this layout.</exception>
    public DriftWindowQuery(TrainingSetQuery layout, DriftBaseline baseline, string database, string table)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(baseline);
        if (!SqlText.IsCatalogName(database) || !SqlText.IsCatalogName(table))
        {
            throw new ArgumentException(
                $"'{database}.{table}' is not a usable Glue table; use 1 to 255 lowercase letters, digits and underscores for each name.",
                nameof(table));
        }

        var roles = layout.Schema.TrainingRoles;
        var numeric = roles.NumericFeatures.Select(f => f.Name).ToList();
        var categorical = roles.CategoricalFeatures.Select(f => f.Name).ToList();
        if (!baseline.Numeric.Select(f => f.Feature).SequenceEqual(numeric, StringComparer.Ordinal)
            || !baseline.Categorical.Select(f => f.Feature).SequenceEqual(categorical, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The baseline's features ({string.Join(", ", baseline.Numeric.Select(f => f.Feature).Concat(baseline.Categorical.Select(f => f.Feature)))}) " +
                $"are not the model's ({string.Join(", ", numeric.Concat(categorical))}); use the baseline of the model this layout trained.",
                nameof(baseline));
        }

        _layout = layout;
        _baseline = baseline;
        _from = $"{SqlText.Identifier(database)}.{SqlText.Identifier(table)}";
    }

    /// <summary>
    /// The statement counting the requests <paramref name="endpoint"/> captured in the hours from <paramref name="start"/>
    /// up to <paramref name="end"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The endpoint name is not one SageMaker allows, or the bounds are not whole UTC hours, start before end.</exception>
    public string Sql(string endpoint, DateTimeOffset start, DateTimeOffset end)
    {
        if (endpoint is null || endpoint.Length > 63 || !EndpointName().IsMatch(endpoint))
        {
            throw new ArgumentException(
                $"'{endpoint}' is not a SageMaker endpoint name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.",
                nameof(endpoint));
        }

        if (start.Offset != TimeSpan.Zero || end.Offset != TimeSpan.Zero || start.Ticks % TimeSpan.TicksPerHour != 0 || end.Ticks % TimeSpan.TicksPerHour != 0 || end <= start)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A drift window is whole UTC hours, start before end; got {start:O} to {end:O}."), nameof(end));
        }

        var features = _layout.FeatureNames;
        var text = new StringBuilder();
        text.Append("SELECT\n    count(*) AS \"rows\",\n")
            .Append(CultureInfo.InvariantCulture, $"    {Count($"fields > {features.Count}")} AS \"unknown_fields\",\n")
            .Append(CultureInfo.InvariantCulture, $"    {Count($"fields < {features.Count}")} AS \"missing_fields\",\n")
            .Append("    ").Append(Count(string.Join(" OR ", WrongTypeChecks()))).Append(" AS \"wrong_types\"");
        foreach (var feature in _baseline.Numeric)
        {
            AppendNumeric(text, feature, Column(feature.Feature));
        }

        foreach (var (feature, columns) in Categories())
        {
            text.Append(",\n    ").Append(Count(string.Join(" AND ", columns.Select(c => $"coalesce({Column(c.Column)}, 0) <> 1"))))
                .Append(" AS ").Append(SqlText.Identifier(feature + "__missing"));
            foreach (var (category, column) in columns)
            {
                text.Append(",\n    ").Append(Count($"{Column(column)} = 1")).Append(" AS ").Append(SqlText.Identifier($"{feature}__is__{category}"));
            }
        }

        if (_baseline.Scores is { } scores)
        {
            AppendNumeric(text, scores with { Feature = DriftReport.ScoresFeature }, "score");
        }

        text.Append("\nFROM (\n    SELECT\n        length(input) - length(replace(input, ',', '')) + 1 AS fields");
        for (var i = 0; i < features.Count; i++)
        {
            var field = $"NULLIF(split_part(input, ',', {i + 1}), '')";
            text.Append(CultureInfo.InvariantCulture, $",\n        {field} AS {Column(features[i] + "__text")},\n        TRY_CAST({field} AS DOUBLE) AS {Column(features[i])}");
        }

        text.Append(",\n        TRY_CAST(NULLIF(output, '') AS DOUBLE) AS \"score\"")
            .Append("\n    FROM (\n        SELECT replace(replace(capturedata.endpointinput.data, chr(13), ''), chr(10), '') AS input,\n")
            .Append("            CASE WHEN capturedata.endpointoutput.encoding = 'CSV' THEN replace(replace(capturedata.endpointoutput.data, chr(13), ''), chr(10), '') END AS output\n")
            .Append(CultureInfo.InvariantCulture, $"        FROM {_from}\n")
            .Append(CultureInfo.InvariantCulture, $"        WHERE {SqlText.Identifier(DriftContract.CaptureEndpointColumn)} = {SqlText.Literal(endpoint)}\n")
            .Append(CultureInfo.InvariantCulture, $"            AND {SqlText.Identifier(DriftContract.CaptureHourColumn)} >= {SqlText.Literal(Hour(start))} AND {SqlText.Identifier(DriftContract.CaptureHourColumn)} < {SqlText.Literal(Hour(end))}\n")
            .Append("    ) AS captured\n) AS requests");
        return text.ToString();
    }

    /// <summary>The window from the statement's one result row, read by column name.</summary>
    public DriftWindow Read(Func<string, long> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        NumericWindow Numeric(NumericBaseline feature) => new(
            feature.Feature, column(feature.Feature + "__missing"), column(feature.Feature + "__below_min"), column(feature.Feature + "__above_max"),
            [.. Enumerable.Range(0, feature.BinShares.Count).Select(i => column(DriftSql.BinColumn(feature.Feature, i)))]);

        var categories = Categories().ToDictionary(c => c.Feature, c => c.Columns, StringComparer.Ordinal);
        return new DriftWindow
        {
            Rows = column("rows"),
            Numeric = [.. _baseline.Numeric.Select(Numeric)],
            Categorical =
            [
                .. _baseline.Categorical.Select(feature => new CategoricalWindow(
                    feature.Feature,
                    column(feature.Feature + "__missing"),
                    [.. categories[feature.Feature].Select(c => new KeyValuePair<string, long>(c.Category, column($"{feature.Feature}__is__{c.Category}")))])),
            ],
            Violations = new SchemaViolations(column("unknown_fields"), column("missing_fields"), column("wrong_types")),
            Scores = _baseline.Scores is { } scores ? Numeric(scores with { Feature = DriftReport.ScoresFeature }) : null,
        };
    }

    // SageMaker's EndpointName (CreateEndpoint): at most 63 characters, pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}.
    [GeneratedRegex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]
    private static partial Regex EndpointName();

    private static string Hour(DateTimeOffset hour) => hour.ToString(DriftContract.CaptureHourFormat, CultureInfo.InvariantCulture);

    private static string Column(string name) => SqlText.Identifier(name);

    private static string Count(string condition) => DriftSql.Count(condition);

    private static void AppendNumeric(StringBuilder text, NumericBaseline feature, string column)
    {
        var name = feature.Feature;
        text.Append(",\n    ").Append(Count($"{column} IS NULL")).Append(" AS ").Append(Column(name + "__missing"))
            .Append(",\n    ").Append(Count($"{column} < {DriftSql.Number(feature.Min)}")).Append(" AS ").Append(Column(name + "__below_min"))
            .Append(",\n    ").Append(Count($"{column} > {DriftSql.Number(feature.Max)}")).Append(" AS ").Append(Column(name + "__above_max"));
        var bin = 0;
        foreach (var condition in DriftSql.BinConditions(column, feature.BinEdges))
        {
            text.Append(",\n    ").Append(Count(condition)).Append(" AS ").Append(Column(DriftSql.BinColumn(name, bin++)));
        }
    }

    private IEnumerable<string> WrongTypeChecks()
    {
        var oneHot = Categories().SelectMany(c => c.Columns.Select(x => x.Column)).ToHashSet(StringComparer.Ordinal);
        return _layout.FeatureNames.Select(name => oneHot.Contains(name)
            ? $"({Column(name + "__text")} IS NOT NULL AND ({Column(name)} IS NULL OR {Column(name)} NOT IN (0, 1)))"
            : $"({Column(name + "__text")} IS NOT NULL AND {Column(name)} IS NULL)");
    }

    private IEnumerable<(string Feature, IReadOnlyList<(string Category, string Column)> Columns)> Categories() =>
        _layout.Schema.TrainingRoles.CategoricalFeatures.Select(field => (
            field.Name,
            (IReadOnlyList<(string, string)>)[.. field.AllowedValues!.Select((value, i) => (value, TrainingSetQuery.OneHotName(field.Name, value, i)))]));
}
