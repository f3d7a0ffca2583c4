using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace Pipeline.Infra.Compliance;

/// <summary>
/// Makes every policy CDK writes for a role's grants (its <c>DefaultPolicy</c>, an <c>AWS::IAM::Policy</c>, which IAM
/// stores as an inline policy of the role) a customer managed policy attached to that role only. The design choice:
/// a role's permissions are customer managed policies, one per role and never shared, so they are listed, versioned
/// and reviewable in IAM like any managed policy (the HIPAA Security, NIST 800-53 R5 and PCI DSS packs' IAMNoInlinePolicy),
/// while each keeps the one-to-one relationship with its role that inline policies give.
/// </summary>
/// <remarks>
/// <para>
/// Applied to every construct of the composed app (<see cref="PipelineApp"/>), or as an aspect, so every grant, of
/// every construct, CDK's own included, is covered. The
/// resource gets a new logical id (<c>…Managed</c> before the hash): CloudFormation cannot change a resource's type in
/// place, so a stack deployed with the inline policy replaces it (the managed policy is attached before the inline
/// one is removed). References to the policy (CDK's DependsOn) follow the new id.
/// </para>
/// <para>
/// A managed policy holds at most 6,144 characters, an inline policy 10,240 per role (IAM quotas); the deployability
/// gate renders every managed policy and fails one that would not fit.
/// </para>
/// </remarks>
public sealed class CustomerManagedPolicies : DeputyBase, IAspect
{
    /// <summary>What the logical id carries before CDK's hash.</summary>
    internal const string Marker = "Managed";

    /// <inheritdoc />
    public void Visit(IConstruct node)
    {
        // CDK runs an aspect once per construct.
        if (node is not CfnPolicy policy)
        {
            return;
        }

        policy.AddOverride("Type", "AWS::IAM::ManagedPolicy");
        // A managed policy's name is optional (CloudFormation generates one); the inline policy's is not a property of it.
        policy.AddPropertyDeletionOverride("PolicyName");
        var logicalId = Stack.Of(policy).GetLogicalId(policy);
        policy.OverrideLogicalId(logicalId.Length > 8 ? $"{logicalId[..^8]}{Marker}{logicalId[^8..]}" : logicalId + Marker);
    }
}
