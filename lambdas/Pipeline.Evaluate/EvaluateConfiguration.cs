using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Training;

namespace Pipeline.Evaluate;

/// <summary>
/// The function's settings, read from its environment variables once at start-up and checked there: a missing or bad
/// value fails initialisation with a message naming the variable.
/// </summary>
public sealed partial class EvaluateConfiguration
{
    /// <summary>Required: the lake bucket; the documents are written only there.</summary>
    public const string LakeBucketVariable = "LAKE_BUCKET";

    /// <summary>Required: the lowest validation AUC that passes, in (0, 1].</summary>
    public const string MinimumAucVariable = "MINIMUM_AUC";

    /// <summary>Required: how far below the champion's AUC a candidate may fall and pass, in [0, 1).</summary>
    public const string RegressionToleranceVariable = "REGRESSION_TOLERANCE";

    /// <summary>Required: <c>true</c> to register a passing model as Approved, <c>false</c> for PendingManualApproval.</summary>
    public const string AutoApproveVariable = "AUTO_APPROVE";

    private EvaluateConfiguration(string lakeBucket, EvaluationGate gate, bool autoApprove)
    {
        LakeBucket = lakeBucket;
        Gate = gate;
        AutoApprove = autoApprove;
    }

    /// <summary>The lake bucket.</summary>
    public string LakeBucket { get; }

    /// <summary>The gate with the configured thresholds.</summary>
    public EvaluationGate Gate { get; }

    /// <summary>Whether a passing model is registered as Approved.</summary>
    public bool AutoApprove { get; }

    /// <summary>Reads and checks the variables.</summary>
    /// <param name="environment">Reads a variable (null or empty when unset), e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FormatException">A variable is missing or invalid; the message names it and says what is expected.</exception>
    public static EvaluateConfiguration FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string Required(string name, string expected) =>
            environment(name) is { Length: > 0 } value ? value : throw new FormatException($"{name} is not set; expected {expected}.");

        var bucket = Required(LakeBucketVariable, "the lake bucket's name");
        if (!BucketName().IsMatch(bucket))
        {
            throw new FormatException(
                $"{LakeBucketVariable} is '{bucket}'; expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.");
        }

        var minimum = ParseNumber(Required(MinimumAucVariable, "a number in (0, 1]"), MinimumAucVariable, "a number greater than 0 and at most 1, e.g. 0.8");
        var tolerance = ParseNumber(
            Required(RegressionToleranceVariable, "a number in [0, 1)"), RegressionToleranceVariable, "a number at least 0 and less than 1, e.g. 0.01");
        var approveText = Required(AutoApproveVariable, "true or false");
        var autoApprove = approveText switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException($"{AutoApproveVariable} is '{approveText}'; expected true or false."),
        };

        EvaluationGate gate;
        try
        {
            gate = new EvaluationGate(new EvaluationGateOptions { MinimumAuc = minimum, RegressionTolerance = tolerance });
        }
        catch (ArgumentException ex)
        {
            var variable = ex.Message.StartsWith("MinimumAuc", StringComparison.Ordinal) ? MinimumAucVariable : RegressionToleranceVariable;
            throw new FormatException($"{variable}: {ex.Message}", ex);
        }

        return new EvaluateConfiguration(bucket, gate, autoApprove);
    }

    private static double ParseNumber(string text, string variable, string expected) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{variable} is '{text}'; expected {expected}.");

    /// <summary>An S3 bucket name (general purpose buckets: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
