using Amazon.CDK;
using Constructs;

namespace Pipeline.Infra.Constructs.SageMaker;

/// <summary>
/// The image URI of a SageMaker built-in algorithm in the Region the stack is deployed to. AWS publishes each
/// algorithm from a registry account per Region, so the URI is a template mapping (Region → account) looked up at
/// deploy time: <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.&lt;url suffix&gt;/&lt;repository&gt;:&lt;tag&gt;</c>. A Region the table
/// does not list fails the deployment at once, with CloudFormation naming the missing mapping key.
/// </summary>
public sealed class AlgorithmImage : Construct
{
    /// <summary>The built-in XGBoost version the pipeline trains and serves (pinned: AWS advises against <c>latest</c>).</summary>
    public const string XgboostVersion = "1.7-1";

    /// <summary>
    /// Registry accounts of <c>sagemaker-xgboost</c> in every Region that publishes it (all partitions), identical for
    /// training and inference (SageMaker developer guide, "Docker Registry Paths and Example Code"; the SageMaker Python
    /// SDK's <c>image_uri_config/xgboost.json</c>, version 1.7-1, read 2026-12-06).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> XgboostRegistryAccounts = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["af-south-1"] = "510948584623", ["ap-east-1"] = "651117190479", ["ap-northeast-1"] = "354813040037",
        ["ap-northeast-2"] = "366743142698", ["ap-northeast-3"] = "867004704886", ["ap-south-1"] = "720646828776",
        ["ap-south-2"] = "628508329040", ["ap-southeast-1"] = "121021644041", ["ap-southeast-2"] = "783357654285",
        ["ap-southeast-3"] = "951798379941", ["ap-southeast-4"] = "106583098589", ["ca-central-1"] = "341280168497",
        ["ca-west-1"] = "190319476487", ["eu-central-1"] = "492215442770", ["eu-central-2"] = "680994064768",
        ["eu-north-1"] = "662702820516", ["eu-south-1"] = "978288397137", ["eu-south-2"] = "104374241257",
        ["eu-west-1"] = "141502667606", ["eu-west-2"] = "764974769150", ["eu-west-3"] = "659782779980",
        ["il-central-1"] = "898809789911", ["me-central-1"] = "272398656194", ["me-south-1"] = "801668240914",
        ["sa-east-1"] = "737474898029", ["us-east-1"] = "683313688378", ["us-east-2"] = "257758044811",
        ["us-west-1"] = "746614075791", ["us-west-2"] = "246618743249",
        ["cn-north-1"] = "450853457545", ["cn-northwest-1"] = "451049120500",
        ["us-gov-east-1"] = "237065988967", ["us-gov-west-1"] = "414596584902",
        ["us-iso-east-1"] = "833128469047", ["us-isob-east-1"] = "281123927165",
        ["us-isof-east-1"] = "108575199400", ["us-isof-south-1"] = "124985052026",
    };

    /// <summary>Creates the Region table and the URI.</summary>
    /// <param name="scope">Parent.</param>
    /// <param name="id">Construct id.</param>
    /// <param name="repository">The algorithm's repository, e.g. <c>sagemaker-xgboost</c>.</param>
    /// <param name="tag">The image tag, e.g. <c>1.7-1</c>; empty for an image AWS publishes without one.</param>
    /// <param name="registryAccounts">Region → registry account.</param>
    public AlgorithmImage(Construct scope, string id, string repository, string tag, IReadOnlyDictionary<string, string> registryAccounts)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(registryAccounts);
        var table = new CfnMapping(this, "Registry", new CfnMappingProps
        {
            Mapping = registryAccounts.ToDictionary(
                r => r.Key, r => (IDictionary<string, object>)new Dictionary<string, object> { ["account"] = r.Value }),
        });
        // A rule is checked when the stack is created or updated, before any resource: a missing mapping key would only
        // fail the first resource that reads it, after others were created.
        _ = new CfnRule(this, "SupportedRegions", new CfnRuleProps
        {
            Assertions =
            [
                new CfnRuleAssertion
                {
                    Assert = Fn.ConditionContains([.. registryAccounts.Keys], Aws.REGION),
                    AssertDescription = $"SageMaker publishes {repository} in these Regions only: {string.Join(", ", registryAccounts.Keys)}. Deploy the stack into one of them.",
                },
            ],
        });
        Repository = repository;
        RegistryAccount = table.FindInMap(Aws.REGION, "account");
        var reference = string.IsNullOrEmpty(tag) ? repository : $"{repository}:{tag}";
        ImageUri = $"{RegistryAccount}.dkr.ecr.{Aws.REGION}.{Aws.URL_SUFFIX}/{reference}";
        RepositoryArn = Arns.Format("ecr", "repository", repository, account: RegistryAccount);
    }

    /// <summary>The built-in XGBoost image (<see cref="XgboostVersion"/>).</summary>
    public static AlgorithmImage Xgboost(Construct scope, string id) =>
        new(scope, id, "sagemaker-xgboost", XgboostVersion, XgboostRegistryAccounts);

    /// <summary>The image URI, resolved at deploy time.</summary>
    public string ImageUri { get; }

    /// <summary>The repository name.</summary>
    public string Repository { get; }

    /// <summary>The AWS account that publishes the image in the deployment's Region, resolved at deploy time.</summary>
    public string RegistryAccount { get; }

    /// <summary>ARN of the AWS-owned repository the image is pulled from.</summary>
    public string RepositoryArn { get; }
}
