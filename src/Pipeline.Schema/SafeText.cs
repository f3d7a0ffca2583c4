using System.Globalization;
using System.Text;

namespace Pipeline.Schema;

/// <summary>Makes untrusted text (configuration keys and values, record content) safe to print in one line of a terminal or log.</summary>
public static class SafeText
{
    /// <summary>The most characters of a value echoed back; a pasted file or token should not flood the terminal.</summary>
    public const int MaxEchoLength = 80;

    /// <summary>
    /// Escapes quotes, backslashes and control or invisible formatting characters (so a value cannot break the line,
    /// move the cursor or hide text) and cuts the result after <paramref name="maxLength"/> characters.
    /// </summary>
    /// <param name="text">The raw text.</param>
    /// <param name="maxLength">The most characters shown; by default <see cref="MaxEchoLength"/>.</param>
    /// <returns>The text as it may be shown between double quotes.</returns>
    public static string Echo(string text, int maxLength = MaxEchoLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder();
        var shown = 0;
        foreach (var c in text)
        {
            if (shown == maxLength)
            {
                break;
            }

            builder.Append(Escape(c));
            shown++;
        }

        var rest = text.Length - shown;
        return rest > 0
            ? builder.Append(CultureInfo.InvariantCulture, $"… ({rest} more characters)").ToString()
            : builder.ToString();
    }

    private static string Escape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
        _ => c.ToString(),
    };
}
