using Amazon.CDK;
using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The few names AWS requires the app to choose (Glue database and security configuration, Athena workgroup, model
/// package group). They
/// are derived from the prefix and profile so that a sandbox and a production deployment can share one account, and
/// where a resource may outlive its stack or be replaced, from the stack instance too; everything else is named by
/// CloudFormation.
/// </summary>
public sealed record ResourceNames(string Prefix, string Profile)
{
    /// <summary>Names for a configuration.</summary>
    public static ResourceNames For(PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.Prefix, PipelineSettingsLoader.NameOf(settings.Profile));
    }

    /// <summary>Glue database (Athena wants lowercase letters, digits and underscores).</summary>
    public string GlueDatabase => $"{Prefix}_{Profile}_lake".Replace('-', '_');

    /// <summary>
    /// Start of the Glue security configuration's name for the raw-zone crawler; the crawler appends a hash of the
    /// configuration, so a change that CloudFormation can only make by replacement gets a new name.
    /// </summary>
    /// <param name="uniqueSuffix">The stack's <see cref="UniqueSuffix"/>.</param>
    public string CrawlerSecurityConfigurationPrefix(string uniqueSuffix) => $"{Prefix}-{Profile}-raw-crawler-{uniqueSuffix}";

    /// <summary>Athena workgroup; unique per stack instance, because production retains it after the stack is deleted.</summary>
    /// <param name="uniqueSuffix">The stack's <see cref="UniqueSuffix"/>.</param>
    public string AthenaWorkgroup(string uniqueSuffix) => $"{Prefix}-{Profile}-lake-{uniqueSuffix}";

    /// <summary>Athena workgroup of the training queries; unique per stack instance, as <see cref="AthenaWorkgroup"/>.</summary>
    /// <param name="uniqueSuffix">The stack's <see cref="UniqueSuffix"/>.</param>
    public string TrainingWorkgroup(string uniqueSuffix) => $"{Prefix}-{Profile}-training-{uniqueSuffix}";

    /// <summary>Athena workgroup of the drift queries; unique per stack instance, as <see cref="AthenaWorkgroup"/>.</summary>
    /// <param name="uniqueSuffix">The stack's <see cref="UniqueSuffix"/>.</param>
    public string DriftWorkgroup(string uniqueSuffix) => $"{Prefix}-{Profile}-drift-{uniqueSuffix}";

    /// <summary>
    /// SageMaker model package group; unique per stack instance, because production retains it after the stack is
    /// deleted.
    /// </summary>
    /// <param name="uniqueSuffix">The stack's <see cref="UniqueSuffix"/>.</param>
    public string ModelPackageGroup(string uniqueSuffix) => $"{Prefix}-{Profile}-models-{uniqueSuffix}";

    /// <summary>
    /// The first eight hex digits of the stack's id (a UUID CloudFormation assigns at creation), resolved at deploy
    /// time: names that carry it never collide with a resource retained from an earlier, deleted instance of the stack.
    /// </summary>
    public static string UniqueSuffix(Amazon.CDK.Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var uuid = Fn.Select(2, Fn.Split("/", stack.StackId));
        return Fn.Select(0, Fn.Split("-", uuid));
    }

    /// <summary>CloudFormation stack name for a stack purpose, e.g. <c>mlpipe-sandbox-data-lake</c>.</summary>
    public string Stack(string purpose) => $"{Prefix}-{Profile}-{purpose}";
}
