using Pipeline.Core.Configuration;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The few names AWS requires the app to choose (Glue database and security configuration, Athena workgroup). They
/// are derived from the prefix and profile so that a sandbox and a production deployment can share one account;
/// everything else is named by CloudFormation.
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

    /// <summary>Glue security configuration of the raw-zone crawler.</summary>
    public string CrawlerSecurityConfiguration => $"{Prefix}-{Profile}-raw-crawler";

    /// <summary>Athena workgroup.</summary>
    public string AthenaWorkgroup => $"{Prefix}-{Profile}-lake";

    /// <summary>CloudFormation stack name for a stack purpose, e.g. <c>mlpipe-sandbox-data-lake</c>.</summary>
    public string Stack(string purpose) => $"{Prefix}-{Profile}-{purpose}";
}
