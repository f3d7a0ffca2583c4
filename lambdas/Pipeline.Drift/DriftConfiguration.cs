using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Training.Drift;
using Pipeline.Schema;
using Pipeline.Training;

namespace Pipeline.Drift;

/// <summary>
/// The function's settings, read from its environment variables once at start-up and checked there: a missing or bad
/// value fails initialisation with a message naming the variable.
/// </summary>
public sealed partial class DriftConfiguration
{
    /// <summary>Required: the lake bucket; baselines are read from it and reports written to it.</summary>
    public const string LakeBucketVariable = "LAKE_BUCKET";

    /// <summary>Required: the Glue database of the capture table.</summary>
    public const string GlueDatabaseVariable = "GLUE_DATABASE";

    /// <summary>Required: the capture table (its Glue name).</summary>
    public const string CaptureTableVariable = "CAPTURE_TABLE";

    /// <summary>Required: the endpoint whose captured requests are judged.</summary>
    public const string EndpointNameVariable = "ENDPOINT_NAME";

    /// <summary>Required: the whole hours one window spans, 1 to 168.</summary>
    public const string WindowHoursVariable = "WINDOW_HOURS";

    /// <summary>Required: the PSI from which a feature's drift is a warning.</summary>
    public const string PsiWarnVariable = "PSI_WARN";

    /// <summary>Required: the PSI from which a feature's drift raises the alarm (above <c>PSI_WARN</c>).</summary>
    public const string PsiAlarmVariable = "PSI_ALARM";

    /// <summary>Required: the fewest captured requests a window needs to be judged, at least 1.</summary>
    public const string MinimumRowsVariable = "MINIMUM_ROWS";

    /// <summary>The longest window: a week of hours.</summary>
    public const int MaximumWindowHours = 168;

    private DriftConfiguration(
        string lakeBucket, string database, string captureTable, string endpointName, int windowHours, DriftThresholds thresholds, TrainingSetQuery layout)
    {
        LakeBucket = lakeBucket;
        Database = database;
        CaptureTable = captureTable;
        EndpointName = endpointName;
        WindowHours = windowHours;
        Thresholds = thresholds;
        Layout = layout;
    }

    /// <summary>The lake bucket.</summary>
    public string LakeBucket { get; }

    /// <summary>The Glue database of the capture table.</summary>
    public string Database { get; }

    /// <summary>The capture table.</summary>
    public string CaptureTable { get; }

    /// <summary>The endpoint whose captured requests are judged.</summary>
    public string EndpointName { get; }

    /// <summary>The hours one window spans.</summary>
    public int WindowHours { get; }

    /// <summary>When drift warns and alarms, and the fewest requests worth judging.</summary>
    public DriftThresholds Thresholds { get; }

    /// <summary>The model's input layout (feature names and schema), as the training run queried it.</summary>
    public TrainingSetQuery Layout { get; }

    /// <summary>Reads and checks the variables.</summary>
    /// <param name="environment">Reads a variable (null or empty when unset), e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FormatException">A variable is missing or invalid; the message names it and says what is expected.</exception>
    public static DriftConfiguration FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string Required(string name, string expected) =>
            environment(name) is { Length: > 0 } value ? value : throw new FormatException($"{name} is not set; expected {expected}.");

        var bucket = Required(LakeBucketVariable, "the lake bucket's name");
        if (!BucketName().IsMatch(bucket) || bucket.Contains("..", StringComparison.Ordinal))
        {
            throw new FormatException(
                $"{LakeBucketVariable} is '{bucket}'; expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.");
        }

        var database = Required(GlueDatabaseVariable, "the Glue database of the capture table");
        var table = Required(CaptureTableVariable, "the capture table's Glue name");
        var endpoint = Required(EndpointNameVariable, "the SageMaker endpoint whose capture is judged");
        var hoursText = Required(WindowHoursVariable, "a whole number of hours, 1 to 168");
        if (!int.TryParse(hoursText, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours is < 1 or > MaximumWindowHours)
        {
            throw new FormatException($"{WindowHoursVariable} is '{hoursText}'; expected a whole number of hours, 1 to {MaximumWindowHours}.");
        }

        var thresholds = new DriftThresholds
        {
            PsiWarn = ParseNumber(Required(PsiWarnVariable, "a number such as 0.1"), PsiWarnVariable, "a number such as 0.1"),
            PsiAlarm = ParseNumber(Required(PsiAlarmVariable, "a number such as 0.2"), PsiAlarmVariable, "a number such as 0.2"),
            MinimumRows = ParseWhole(Required(MinimumRowsVariable, "a whole number, at least 1"), MinimumRowsVariable, "a whole number, at least 1"),
        };
        if (thresholds.Problem() is { } problem)
        {
            var variables = problem.StartsWith("MinimumRows", StringComparison.Ordinal) ? MinimumRowsVariable : $"{PsiWarnVariable}, {PsiAlarmVariable}";
            throw new FormatException($"{variables}: {problem}");
        }

        var layout = CheckNames(database, table, endpoint);
        return new DriftConfiguration(bucket, database, table, endpoint, hours, thresholds, layout);
    }

    /// <summary>
    /// The layout, after Core has checked every name the statements will carry: the trial statement of a placeholder
    /// baseline fails on the same names a real one would, so a bad name fails initialisation, not the first run.
    /// </summary>
    private static TrainingSetQuery CheckNames(string database, string table, string endpoint)
    {
        TrainingSetQuery layout;
        try
        {
            layout = new TrainingSetQuery(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = database });
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{GlueDatabaseVariable}: {ex.Message}", ex);
        }

        var roles = layout.Schema.TrainingRoles;
        var placeholder = new DriftBaseline
        {
            Schema = layout.Schema.Name,
            Run = "configuration-check",
            Rows = 1,
            Numeric = [.. roles.NumericFeatures.Select(f => new NumericBaseline(f.Name, 1, 0, 0, 0, 0, 0, [], [1]))],
            Categorical = [.. roles.CategoricalFeatures.Select(f => new CategoricalBaseline(f.Name, 1, 0, []))],
        };
        DriftWindowQuery query;
        try
        {
            query = new DriftWindowQuery(layout, placeholder, database, table);
        }
        catch (ArgumentException ex)
        {
            // The database passed the layout's check, so the table is what Glue would refuse.
            throw new FormatException($"{CaptureTableVariable}: {ex.Message}", ex);
        }

        try
        {
            var hour = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            _ = query.Sql(endpoint, hour, hour.AddHours(1));
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{EndpointNameVariable}: {ex.Message}", ex);
        }

        return layout;
    }

    private static double ParseNumber(string text, string variable, string expected) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{variable} is '{text}'; expected {expected}.");

    private static long ParseWhole(string text, string variable, string expected) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{variable} is '{text}'; expected {expected}.");

    /// <summary>An S3 bucket name (general purpose buckets: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
