namespace Pipeline.Infra.Configuration;

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

    /// <summary>
    /// The known key a misspelt key most likely meant, when it is close enough to be worth suggesting: the same ignoring
    /// case, or within a Damerau-Levenshtein distance (<see cref="EditDistance"/>) of at most 2, or of at most a third
    /// of the unknown key's length for a long key, of a whole known key or of the part after its section. Null when no
    /// known key is that close: a suggestion then would only mislead.
    /// </summary>
    /// <param name="key">The unknown key.</param>
    /// <param name="knownKeys">The keys the app understands.</param>
    public static string? CloseKnownKey(string key, IReadOnlyList<string> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(knownKeys);
        if (knownKeys.Count == 0)
        {
            return null;
        }

        var closest = ClosestKnownKey(key, knownKeys);
        var distance = Math.Min(EditDistance(closest, key), EditDistance(Leaf(closest), key));
        return distance <= MaxSuggestionDistance(key) ? closest : null;
    }

    /// <summary>The largest edit distance still suggested for a key: 2, or a third of its length for keys over 6 characters.</summary>
    internal static int MaxSuggestionDistance(string key) => Math.Max(2, key.Length / 3);

    /// <summary>The section of a key (the part before its first dot), or null for a key without one.</summary>
    public static string? SectionOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? key[..dot] : null;
    }

    /// <summary>
    /// Optimal-string-alignment (restricted Damerau-Levenshtein) distance, comparing characters case-insensitively: an
    /// insertion, deletion, substitution or swap of two adjacent characters counts as one edit.
    /// </summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];

        static bool Same(char x, char y) => char.ToLowerInvariant(x) == char.ToLowerInvariant(y);
    }

    private static string Leaf(string key) => key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..];
}
