using Amazon.CDK;

namespace Pipeline.Infra.Compliance;

/// <summary>A cdk-nag rule suppressed on one resource, with the reason a security reviewer reads.</summary>
/// <param name="RuleId">The cdk-nag rule, e.g. <c>AwsSolutions-IAM5</c>.</param>
/// <param name="Reason">Why the finding is acceptable here.</param>
/// <param name="AppliesTo">
/// For granular rules (IAM4, IAM5): the exact findings suppressed, e.g. <c>Action::s3:GetObject*</c>, or a JavaScript
/// regular expression written <c>regex:/pattern/</c> (for findings that name generated logical ids or imports); empty
/// suppresses the rule for the resource.
/// </param>
public sealed record NagSuppression(string RuleId, string Reason, params string[] AppliesTo);

/// <summary>An AWS Control Tower proactive control suppressed on one resource, with its reason.</summary>
/// <param name="ControlId">The control, e.g. <c>CT.LAMBDA.PR.3</c>.</param>
/// <param name="Reason">Why the resource cannot or need not satisfy the control.</param>
public sealed record ControlSuppression(string ControlId, string Reason);

/// <summary>
/// Writes policy-gate suppressions into a resource's template metadata, the narrowest scope there is:
/// <c>cdk_nag.rules_to_suppress</c> (the form cdk-nag 2.x reads) and <c>guard.SuppressedRules</c> +
/// <c>guard.SuppressionReasons</c> (the form the project's Control Tower gate reads; the Control Tower rules themselves
/// have no suppression mechanism). Each resource declares all its suppressions of one kind in one call.
/// </summary>
public static class Suppressions
{
    private const int MinimumReasonLength = 20;

    /// <summary>Suppresses cdk-nag rules on <paramref name="resource"/>.</summary>
    public static void Nag(CfnResource resource, params NagSuppression[] suppressions)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(suppressions);
        EnsureFirstDeclaration(resource, "cdk_nag");
        foreach (var suppression in suppressions)
        {
            CheckReason(resource, suppression.RuleId, suppression.Reason);
        }

        var rules = suppressions.Select(s =>
        {
            var rule = new Dictionary<string, object> { ["id"] = s.RuleId, ["reason"] = s.Reason };
            if (s.AppliesTo.Length > 0)
            {
                rule["applies_to"] = s.AppliesTo
                    .Select(a => a.StartsWith("regex:", StringComparison.Ordinal)
                        ? new Dictionary<string, object> { ["regex"] = a["regex:".Length..] }
                        : (object)a)
                    .ToArray();
            }

            return rule;
        }).ToArray();
        resource.AddMetadata("cdk_nag", new Dictionary<string, object> { ["rules_to_suppress"] = rules });
    }

    /// <summary>Suppresses Control Tower proactive controls on <paramref name="resource"/>.</summary>
    public static void Controls(CfnResource resource, params ControlSuppression[] suppressions)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(suppressions);
        EnsureFirstDeclaration(resource, "guard");
        foreach (var suppression in suppressions)
        {
            CheckReason(resource, suppression.ControlId, suppression.Reason);
        }

        resource.AddMetadata("guard", new Dictionary<string, object>
        {
            ["SuppressedRules"] = suppressions.Select(s => s.ControlId).ToArray(),
            ["SuppressionReasons"] = suppressions.ToDictionary(s => s.ControlId, s => (object)s.Reason),
        });
    }

    private static void EnsureFirstDeclaration(CfnResource resource, string key)
    {
        if (resource.GetMetadata(key) is not null)
        {
            throw new InvalidOperationException(
                $"{resource.Node.Path} already has {key} suppressions; declare all of them in one call so none is overwritten.");
        }
    }

    private static void CheckReason(CfnResource resource, string rule, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < MinimumReasonLength)
        {
            throw new ArgumentException(
                $"The suppression of {rule} on {resource.Node.Path} needs a reason of at least {MinimumReasonLength} characters that a security reviewer would accept.");
        }
    }
}
