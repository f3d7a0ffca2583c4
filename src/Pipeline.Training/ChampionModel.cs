using System.Globalization;

namespace Pipeline.Training;

/// <summary>
/// The model package the candidate must not regress from: the latest Approved version of the model package group,
/// with the validation AUC the register step recorded in its <c>CustomerMetadataProperties</c>.
/// </summary>
public sealed class ChampionModel
{
    private ChampionModel(string arn, int? version, double? auc, string? aucProblem)
    {
        ModelPackageArn = arn;
        ModelPackageVersion = version;
        ValidationAuc = auc;
        AucProblem = aucProblem;
    }

    /// <summary><c>ModelPackageArn</c>.</summary>
    public string ModelPackageArn { get; }

    /// <summary><c>ModelPackageVersion</c>, when the package is versioned.</summary>
    public int? ModelPackageVersion { get; }

    /// <summary>
    /// The champion's validation AUC from <c>CustomerMetadataProperties[<see cref="EvaluationGate.ChampionAucMetadataKey"/>]</c>,
    /// or null when it is missing or not a finite number in [0, 1] (see <see cref="AucProblem"/>).
    /// </summary>
    public double? ValidationAuc { get; }

    /// <summary>Why <see cref="ValidationAuc"/> is null, as a sentence; null when it has a value.</summary>
    public string? AucProblem { get; }

    /// <summary>A short name for messages: <c>version 3</c>, or the ARN of an unversioned package.</summary>
    public string DisplayName => ModelPackageVersion is { } v
        ? string.Create(CultureInfo.InvariantCulture, $"version {v}")
        : ModelPackageArn;

    /// <summary>
    /// Reads the champion from its DescribeModelPackage response
    /// (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html).
    /// </summary>
    /// <param name="describeModelPackageJson">The response JSON.</param>
    /// <returns>The champion; its AUC is null, with a reason, when the metadata lacks a usable value.</returns>
    /// <exception cref="FormatException">
    /// The document is malformed (not JSON, a member of another JSON type, no <c>ModelPackageArn</c>); the message names the path.
    /// </exception>
    public static ChampionModel Parse(string describeModelPackageJson)
    {
        ArgumentNullException.ThrowIfNull(describeModelPackageJson);
        const string What = "DescribeModelPackage response";
        var package = TrainingJson.ReadApiDocument(describeModelPackageJson, AwsJsonContext.Default.DescribeModelPackageJson, What);
        var arn = package.ModelPackageArn is { Length: > 0 } value ? value : throw new FormatException($"{What}: ModelPackageArn is missing or empty.");
        var version = package.ModelPackageVersion;
        var key = EvaluationGate.ChampionAucMetadataKey;
        var text = package.CustomerMetadataProperties?.GetValueOrDefault(key);
        var name = version is { } v ? string.Create(CultureInfo.InvariantCulture, $"version {v}") : arn;
        if (text is null)
        {
            return new ChampionModel(arn, version, null, $"The champion ({name}) has no CustomerMetadataProperties '{key}'.");
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var auc) || !double.IsFinite(auc) || auc is < 0 or > 1)
        {
            return new ChampionModel(
                arn, version, null, $"The champion ({name}) has CustomerMetadataProperties '{key}' = '{text}', which is not a number between 0 and 1.");
        }

        return new ChampionModel(arn, version, auc, null);
    }
}

/// <summary>The members of a DescribeModelPackage response the gate reads, under the API's names.</summary>
internal sealed record DescribeModelPackageJson(
    string? ModelPackageArn,
    int? ModelPackageVersion,
    IReadOnlyDictionary<string, string>? CustomerMetadataProperties);
