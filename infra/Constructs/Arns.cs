using Amazon.CDK;

namespace Pipeline.Infra.Constructs;

/// <summary>
/// ARNs and the partition, region and account of the app's stacks, built without a call into the jsii kernel per use
/// (each is a round trip to Node.js; a synth made some two hundred of them). The stacks are environment-agnostic
/// (<see cref="PipelineApp"/>), so <see cref="Stack.FormatArn"/>, <see cref="Stack.Region"/> and
/// <see cref="Stack.Account"/> give these same pseudo-parameter tokens and the templates are unchanged; a stack given an
/// explicit environment must use its own.
/// </summary>
internal static class Arns
{
    private static readonly Lazy<(string Partition, string Region, string Account)> Pseudo =
        new(() => (Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID));

    /// <summary>The partition (<c>AWS::Partition</c>).</summary>
    public static string Partition => Pseudo.Value.Partition;

    /// <summary>The region (<c>AWS::Region</c>).</summary>
    public static string Region => Pseudo.Value.Region;

    /// <summary>The account (<c>AWS::AccountId</c>).</summary>
    public static string Account => Pseudo.Value.Account;

    /// <summary>
    /// The ARN <see cref="Stack.FormatArn"/> gives: <c>arn:partition:service:region:account:resource</c>, then
    /// <paramref name="separator"/> and <paramref name="resourceName"/> when there is one.
    /// </summary>
    /// <param name="service">The service namespace, e.g. <c>glue</c>.</param>
    /// <param name="resource">The resource type, e.g. <c>table</c>.</param>
    /// <param name="resourceName">The resource's name, or null for none.</param>
    /// <param name="separator">'/' (<see cref="ArnFormat.SLASH_RESOURCE_NAME"/>) or ':' (<see cref="ArnFormat.COLON_RESOURCE_NAME"/>).</param>
    /// <param name="region">The region part; the stack's when null (empty for global services).</param>
    /// <param name="account">The account part; the stack's when null.</param>
    public static string Format(string service, string resource, string? resourceName = null, char separator = '/', string? region = null, string? account = null) =>
        $"arn:{Partition}:{service}:{region ?? Region}:{account ?? Account}:{resource}{(resourceName is null ? string.Empty : separator + resourceName)}";
}
