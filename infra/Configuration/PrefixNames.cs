using System.Globalization;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// Every physical name the prefix ends up in, with the limit of the service that owns it, so a prefix that makes one of
/// them too long, or makes a generated bucket name start with a prefix S3 reserves, fails synth. The name templates
/// mirror infra/Stacks/ResourceNames.cs (a test in Pipeline.Infra.Tests keeps them equal); they are computed for the
/// longest profile name and the 8 hex digits of the stack-id suffix, the longest the names get.
/// </summary>
public static class PrefixNames
{
    /// <summary>The longest profile name (names carry the profile after the prefix).</summary>
    public const string LongestProfile = "production";

    /// <summary>Stand-in for the 8 hex digits of a stack id (ResourceNames.UniqueSuffix) or a configuration hash.</summary>
    public const string Hex8 = "0123abcd";

    /// <summary>
    /// Bucket name prefixes S3 reserves (general purpose bucket naming rules,
    /// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html; sthree-configurator is covered by sthree-).
    /// S3 reserves suffixes too (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3), but CloudFormation ends a generated
    /// bucket name with a random run of lowercase letters and digits, so the prefix never produces one.
    /// </summary>
    public static IReadOnlyList<string> ReservedBucketPrefixes { get; } = ["xn--", "sthree-", "amzn-s3-demo-"];

    /// <summary>One physical name derived from the prefix.</summary>
    /// <param name="Resource">What is named, as the user would look for it.</param>
    /// <param name="Name">The name for a prefix and profile.</param>
    /// <param name="Limit">The most characters the owning service accepts.</param>
    public sealed record DerivedName(string Resource, Func<string, string, string> Name, int Limit);

    /// <summary>The names, as infra/Stacks/ResourceNames.cs and the stacks build them.</summary>
    public static IReadOnlyList<DerivedName> Names { get; } =
    [
        // CloudFormation CreateStack StackName: [a-zA-Z][-a-zA-Z0-9]*, at most 128 characters; the longest purpose is security-baseline.
        new("CloudFormation stack name", (p, profile) => $"{p}-{profile}-security-baseline", 128),
        // Glue CreateDatabase DatabaseInput Name: at most 255 characters.
        new("Glue database", (p, profile) => $"{p}_{profile}_lake".Replace('-', '_'), 255),
        // Glue CreateSecurityConfiguration Name: at most 255 characters (the crawler appends an 8-hex configuration hash).
        new("Glue security configuration of the raw-zone crawler", (p, profile) => $"{p}-{profile}-raw-crawler-{Hex8}-{Hex8}", 255),
        // Athena CreateWorkGroup Name: [a-zA-Z0-9._-]{1,128}.
        new("Athena workgroup (lake)", (p, profile) => $"{p}-{profile}-lake-{Hex8}", 128),
        new("Athena workgroup (training)", (p, profile) => $"{p}-{profile}-training-{Hex8}", 128),
        new("Athena workgroup (drift)", (p, profile) => $"{p}-{profile}-drift-{Hex8}", 128),
        // SageMaker CreateModelPackageGroup ModelPackageGroupName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}, at most 63 characters.
        new("SageMaker model package group", (p, profile) => $"{p}-{profile}-models-{Hex8}", 63),
        // SageMaker CreateEndpoint EndpointName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}, at most 63 characters.
        new("SageMaker endpoint", (p, profile) => $"{p}-{profile}-endpoint", 63),
    ];

    /// <summary>Why the prefix cannot be used, or null.</summary>
    /// <param name="prefix">A prefix of the accepted form (lowercase letters, digits, single hyphens).</param>
    /// <param name="names">The names to check; <see cref="Names"/> unless a test passes others.</param>
    public static string? Problem(string prefix, IReadOnlyList<DerivedName>? names = null)
    {
        // CloudFormation names a bucket without BucketName <stack name>-<logical id>-<random>, lowercased: every bucket of
        // the app starts with "<prefix>-<profile>-".
        var bucketStart = $"{prefix}-";
        if (ReservedBucketPrefixes.FirstOrDefault(r => bucketStart.StartsWith(r, StringComparison.Ordinal) || prefix.StartsWith(r, StringComparison.Ordinal)) is { } reserved)
        {
            return $"would make every bucket name start with {reserved}, a prefix S3 reserves: CloudFormation names the app's buckets after their stacks (\"{prefix}-<profile>-<stack>-<resource>-<random>\"), and S3 refuses a bucket name starting with {string.Join(", ", ReservedBucketPrefixes)}.";
        }

        var tooLong = (names ?? Names)
            .Select(n => (n.Resource, Name: n.Name(prefix, LongestProfile), n.Limit))
            .Where(n => n.Name.Length > n.Limit)
            .Select(n => string.Create(CultureInfo.InvariantCulture, $"the {n.Resource} \"{n.Name}\" would have {n.Name.Length} characters, more than its limit of {n.Limit}"))
            .ToList();
        return tooLong.Count == 0 ? null : $"makes names longer than their services allow (with the longest profile, {LongestProfile}): {string.Join("; ", tooLong)}.";
    }
}
