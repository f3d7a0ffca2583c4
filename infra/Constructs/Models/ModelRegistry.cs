using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Sagemaker;
using Constructs;

namespace Pipeline.Infra.Constructs.Models;

/// <summary>
/// The SageMaker model registry of the pipeline: one model package group whose versions are the models the training
/// runs register, each with its evaluation report and lineage, and whose approval status decides what the endpoint
/// serves. Stateful: the registration and approval history outlives any one training run.
/// </summary>
public sealed partial class ModelRegistry : Construct
{
    /// <summary>Creates the model package group.</summary>
    /// <exception cref="ArgumentException">The name breaks SageMaker's rules.</exception>
    public ModelRegistry(Construct scope, string id, ModelRegistryProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!Token.IsUnresolved(props.GroupName) && !GroupNamePattern().IsMatch(props.GroupName))
        {
            throw new ArgumentException(
                $"GroupName \"{props.GroupName}\" is not a model package group name: use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.",
                nameof(props));
        }

        Group = new CfnModelPackageGroup(this, "Resource", new CfnModelPackageGroupProps
        {
            ModelPackageGroupName = props.GroupName,
            ModelPackageGroupDescription = "Models trained by the streaming ML pipeline; approved versions are served by the endpoint.",
        });
        Group.ApplyRemovalPolicy(props.RemovalPolicy);
        GroupName = props.GroupName;
    }

    /// <summary>The model package group.</summary>
    public CfnModelPackageGroup Group { get; }

    /// <summary>The group's name.</summary>
    public string GroupName { get; }

    /// <summary>ARN of the group.</summary>
    public string GroupArn => Group.AttrModelPackageGroupArn;

    /// <summary>ARN pattern of the group's versioned packages (<c>model-package/&lt;group&gt;/&lt;version&gt;</c>).</summary>
    public string PackagesArn => Arns.Format("sagemaker", "model-package", $"{GroupName}/*");

    /// <summary>Lets <paramref name="grantee"/> register new versions in this group.</summary>
    public Grant GrantRegister(IGrantable grantee) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = grantee,
        Actions = ["sagemaker:CreateModelPackage"],
        ResourceArns = [GroupArn, PackagesArn],
    });

    /// <summary>
    /// Lets <paramref name="grantee"/> describe this group's versions and list them. ListModelPackages supports no
    /// resource-level permission, so it is granted on <c>*</c> and returns only metadata.
    /// </summary>
    public Grant GrantRead(IGrantable grantee) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = grantee,
            Actions = ["sagemaker:DescribeModelPackage"],
            ResourceArns = [PackagesArn],
        })
        .Combine(Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = grantee,
            Actions = ["sagemaker:ListModelPackages"],
            ResourceArns = ["*"],
        }));

    [GeneratedRegex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]
    private static partial Regex GroupNamePattern();
}
