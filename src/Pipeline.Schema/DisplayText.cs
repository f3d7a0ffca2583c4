using System.Globalization;
using System.Text;

namespace Pipeline.Schema;

/// <summary>
/// Renders untrusted input for error messages: printable ASCII only (anything else escaped as <c>\uXXXX</c>, invalid
/// UTF-8 as <c>\xNN</c>), shortened to about <see cref="MaxLength"/> characters, so messages are safe to log.
/// </summary>
internal static class DisplayText
{
    /// <summary>The most characters of a value shown before it is cut off with <c>...</c>.</summary>
    public const int MaxLength = 64;

    private const string Ellipsis = "...";

    /// <summary>
    /// Renders the raw content of a JSON string token (between the quotes, escapes kept as written) in double quotes.
    /// </summary>
    public static string QuotedString(ReadOnlySpan<byte> rawContent) => "\"" + Escaped(rawContent) + "\"";

    /// <summary>Renders the raw content of a JSON string token (escapes kept as written) without quotes.</summary>
    public static string Escaped(ReadOnlySpan<byte> rawContent)
    {
        var builder = new StringBuilder(Math.Min(rawContent.Length, MaxLength) + Ellipsis.Length);
        var index = 0;
        while (index < rawContent.Length)
        {
            int consumed;
            string? unit = null;
            var b = rawContent[index];
            if (b == '\\')
            {
                // An escape as written in the JSON: keep it whole (the reader has checked its syntax).
                consumed = index + 1 < rawContent.Length && rawContent[index + 1] == 'u' ? 6 : 2;
                consumed = Math.Min(consumed, rawContent.Length - index);
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                consumed = 1;
            }
            else
            {
                var status = Rune.DecodeFromUtf8(rawContent[index..], out var rune, out consumed);
                unit = status == System.Buffers.OperationStatus.Done
                    ? EscapeRune(rune)
                    : string.Create(CultureInfo.InvariantCulture, $"\\x{b:X2}");
                if (status != System.Buffers.OperationStatus.Done)
                {
                    consumed = 1;
                }
            }

            var unitLength = unit?.Length ?? consumed;
            if (builder.Length + unitLength > MaxLength)
            {
                return builder.Append(Ellipsis).ToString();
            }

            if (unit is null)
            {
                for (var i = 0; i < consumed; i++)
                {
                    builder.Append((char)rawContent[index + i]);
                }
            }
            else
            {
                builder.Append(unit);
            }

            index += consumed;
        }

        return builder.ToString();
    }

    /// <summary>Renders an ASCII token (a JSON number) shortened to <see cref="MaxLength"/> characters.</summary>
    public static string Token(ReadOnlySpan<byte> ascii) => Escaped(ascii);

    /// <summary>Makes free text (e.g. a parser's message) printable ASCII and at most 200 characters.</summary>
    public static string Sanitize(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var rune in text.EnumerateRunes())
        {
            var unit = rune.Value is >= 0x20 and < 0x7F ? null : EscapeRune(rune);
            if (builder.Length + (unit?.Length ?? 1) > 200)
            {
                return builder.Append(Ellipsis).ToString();
            }

            if (unit is null)
            {
                builder.Append((char)rune.Value);
            }
            else
            {
                builder.Append(unit);
            }
        }

        return builder.ToString();
    }

    /// <summary>The 1-based line and byte-in-line of a byte offset in the input.</summary>
    public static (long Line, long Byte) Position(ReadOnlySpan<byte> input, long offset)
    {
        var prefix = input[..(int)Math.Clamp(offset, 0, input.Length)];
        var line = prefix.Count((byte)'\n') + 1L;
        var lineStart = prefix.LastIndexOf((byte)'\n') + 1;
        return (line, prefix.Length - lineStart + 1L);
    }

    private static string EscapeRune(Rune rune)
    {
        if (rune.IsBmp)
        {
            return string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
        }

        Span<char> pair = stackalloc char[2];
        rune.EncodeToUtf16(pair);
        return string.Create(CultureInfo.InvariantCulture, $"\\u{(int)pair[0]:x4}\\u{(int)pair[1]:x4}");
    }
}
