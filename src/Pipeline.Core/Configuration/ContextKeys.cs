namespace Pipeline.Core.Configuration;

/// <summary>
/// Tells the app's own context keys from the keys the AWS CDK puts into the same context, and suggests the closest
/// app key for a misspelt one. The CDK CLI passes the whole merged context (cdk.json, ~/.cdk.json, cdk.context.json,
/// <c>-c</c>) plus keys of its own, so a key that is neither the app's nor the CDK's is a mistake.
/// </summary>
public static class ContextKeys
{
    /// <summary>
    /// Prefixes of CDK keys: feature flags (<c>@aws-cdk/…</c>, <c>@aws-cdk-containers/…</c>), keys the CLI writes
    /// for every synth (<c>aws:cdk:enable-path-metadata</c>, <c>aws:cdk:bundling-stacks</c>, …), and older or
    /// tool-specific ones (<c>aws-cdk:enableDiffNoFail</c>, <c>cdk-…</c>).
    /// </summary>
    public static IReadOnlyList<string> CdkPrefixes { get; } = ["@aws-cdk/", "@aws-cdk-containers/", "aws:cdk:", "aws-cdk:", "cdk-"];

    /// <summary>
    /// Whole keys the CDK CLI itself reads from context: <c>acknowledged-issue-numbers</c> (written by
    /// <c>cdk acknowledge</c> into cdk.context.json) and <c>cli-telemetry</c>.
    /// </summary>
    public static IReadOnlyList<string> CdkKeys { get; } = ["acknowledged-issue-numbers", "cli-telemetry"];

    /// <summary>
    /// Context providers whose lookup results the CLI caches in cdk.context.json as <c>provider:account=…:region=…</c>
    /// (the ContextProvider values of the cloud assembly schema).
    /// </summary>
    public static IReadOnlyList<string> LookupProviders { get; } =
    [
        "ami", "availability-zones", "hosted-zone", "ssm", "vpc-provider", "endpoint-service-availability-zones",
        "load-balancer", "load-balancer-listener", "security-group", "key-provider", "cc-api-provider", "plugin",
    ];

    /// <summary>True for a key the AWS CDK (library or CLI) owns; such keys are never the app's concern.</summary>
    /// <param name="key">A context key.</param>
    public static bool IsCdkKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CdkPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))
            || CdkKeys.Contains(key, StringComparer.Ordinal)
            || LookupProviders.Any(p => key.StartsWith(p + ":", StringComparison.Ordinal));
    }

    /// <summary>
    /// The known key a misspelt key most likely meant: an exact match ignoring case first, otherwise the smallest
    /// case-insensitive edit distance to a whole key or to the part after its section (so <c>minimumAuc</c> finds
    /// <c>training.minimumAuc</c>); ties go to the earlier key in <paramref name="knownKeys"/>.
    /// </summary>
    /// <param name="key">The unknown key.</param>
    /// <param name="knownKeys">The keys the app understands.</param>
    public static string ClosestKnownKey(string key, IReadOnlyList<string> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(knownKeys);
        var sameIgnoringCase = knownKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        if (sameIgnoringCase is not null)
        {
            return sameIgnoringCase;
        }

        return knownKeys.MinBy(k => Math.Min(EditDistance(k, key), EditDistance(Leaf(k), key)))
            ?? throw new ArgumentException("At least one known key is needed.", nameof(knownKeys));
    }

    /// <summary>Levenshtein distance, comparing characters case-insensitively.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Leaf(string key) => key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..];
}
