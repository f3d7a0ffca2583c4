using System.Text.RegularExpressions;

namespace Pipeline.Training;

/// <summary>
/// Validation and quoting of the only values that are written into generated SQL: names, S3 locations and literals.
/// Nothing reaches SQL text without passing one of these checks.
/// </summary>
internal static partial class SqlText
{
    /// <summary>Quotes an identifier for Athena (Trino): double quotes, embedded quotes doubled.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Quotes a string literal: single quotes, embedded quotes doubled.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Glue database and table names usable from Athena without surprises (Athena lowercases names).</summary>
    public static bool IsCatalogName(string? name) => name is not null && CatalogName().IsMatch(name);

    /// <summary>
    /// An S3 folder URI safe to embed in SQL: <c>s3://bucket/prefix/</c> with a DNS-style bucket name (3 to 63 lowercase
    /// letters, digits, dots and hyphens, starting and ending with a letter or digit) and a prefix of one or more
    /// segments of letters, digits and <c>_ . = -</c>, ending with <c>/</c>.
    /// </summary>
    public static bool IsS3Folder(string? uri)
    {
        if (uri is null || !S3Folder().IsMatch(uri))
        {
            return false;
        }

        var slash = uri.IndexOf('/', 5);
        return IsBucketName(uri[5..slash])
            && uri[(slash + 1)..^1].Split('/').All(segment => segment is not ("." or ".."));
    }

    /// <summary>An S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens; letter or digit at both ends).</summary>
    public static bool IsBucketName(string? name) =>
        name is not null && BucketName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9_]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex CatalogName();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();

    [GeneratedRegex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([A-Za-z0-9_.=-]+/)+$", RegexOptions.CultureInvariant)]
    private static partial Regex S3Folder();
}
