using System.Text;

namespace Pipeline.Evaluate;

/// <summary>
/// Values for a model package's <c>CustomerMetadataProperties</c>: 1 to 256 characters of the class
/// <c>[\p{L}\p{Z}\p{N}_.:/=+\-@]</c> (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html).
/// </summary>
public static class CustomerMetadata
{
    /// <summary>The longest value SageMaker accepts.</summary>
    public const int MaxValueLength = 256;

    /// <summary>What an empty value becomes.</summary>
    public const string EmptyValue = "none";

    /// <summary>
    /// Makes a value SageMaker accepts: every character outside the class (and every surrogate) becomes <c>_</c>, the
    /// text is cut to <see cref="MaxValueLength"/> characters, and an empty text becomes <see cref="EmptyValue"/>.
    /// </summary>
    /// <param name="value">The text.</param>
    /// <returns>The value.</returns>
    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return EmptyValue;
        }

        var text = new StringBuilder(Math.Min(value.Length, MaxValueLength));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxValueLength)))
        {
            text.Append(IsAllowed(c) ? c : '_');
        }

        return text.ToString();
    }

    /// <summary>Whether a character is in the class (a letter, a separator, a number, or one of <c>_.:/=+-@</c>).</summary>
    /// <param name="c">The character.</param>
    /// <returns>Whether SageMaker accepts it.</returns>
    public static bool IsAllowed(char c) =>
        !char.IsSurrogate(c) && (char.IsLetter(c) || char.IsSeparator(c) || char.IsNumber(c) || "_.:/=+-@".Contains(c, StringComparison.Ordinal));
}
