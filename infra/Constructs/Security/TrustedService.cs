using Amazon.CDK.AWS.IAM;

namespace Pipeline.Infra.Constructs.Security;

/// <summary>
/// Service principals for role trust policies with the confused-deputy guard AWS documents (IAM user guide, "The
/// confused deputy problem", https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html): the service may
/// assume the role only on behalf of this account (<c>aws:SourceAccount</c>) and only for the resources whose ARNs
/// match (<c>aws:SourceArn</c>, with wildcards where the resource is named after the role exists).
/// </summary>
internal static class TrustedService
{
    /// <summary>
    /// <paramref name="service"/>, trusted only for this account's resources of <paramref name="sourceArnPatterns"/>
    /// (ARN patterns in this account and Region, any one of which matches).
    /// </summary>
    /// <param name="service">The service principal, e.g. <c>states.amazonaws.com</c>.</param>
    /// <param name="arnService">The service part of the source ARNs, e.g. <c>states</c>.</param>
    /// <param name="sourceArnPatterns">The resource part of each source ARN, e.g. <c>stateMachine:*</c>.</param>
    public static ServicePrincipal Principal(string service, string arnService, params string[] sourceArnPatterns)
    {
        var arns = sourceArnPatterns.Select(p => $"arn:{Arns.Partition}:{arnService}:{Arns.Region}:{Arns.Account}:{p}").ToArray();
        return new(service, new ServicePrincipalOpts
        {
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Arns.Account },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = arns.Length == 1 ? arns[0] : arns },
            },
        });
    }
}
