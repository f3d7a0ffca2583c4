using System.Buffers;
using System.Buffers.Text;
using static System.FormattableString;

namespace Pipeline.Ingestion;

/// <summary>
/// Strict base64 (RFC 4648 section 4) for Firehose record data: the standard alphabet, <c>=</c> padding to a multiple
/// of 4 characters, zero pad bits (so every byte sequence has exactly one accepted encoding and the hash of an
/// operator's copy matches), and no whitespace, line breaks or URL-safe characters. .NET's decoder skips whitespace,
/// so the text is checked here first.
/// </summary>
internal static class StrictBase64
{
    private static readonly SearchValues<byte> AlphabetAndPadding =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    /// <summary>
    /// Checks the text and computes the decoded length; on failure returns a one-sentence reason (printable ASCII).
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> text, out int decodedLength)
    {
        decodedLength = 0;
        var bad = text.IndexOfAnyExcept(AlphabetAndPadding);
        if (bad >= 0)
        {
            return Invariant($"data is not valid base64: {Describe(text[bad])} at offset {bad} is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.");
        }

        var padding = text.Length - 1 - text.LastIndexOfAnyExcept((byte)'=');
        if (padding > 2)
        {
            return "data is not valid base64: it ends in more than two '=' padding characters.";
        }

        var misplaced = text[..^padding].IndexOf((byte)'=');
        if (misplaced >= 0)
        {
            return Invariant($"data is not valid base64: '=' padding at offset {misplaced} is not at the end.");
        }

        if (text.Length % 4 != 0)
        {
            return Invariant(
                $"data is not valid base64: its length {text.Length} is not a multiple of 4 (missing or extra '=' padding).");
        }

        decodedLength = (text.Length / 4 * 3) - padding;
        return null;
    }

    /// <summary>
    /// The decoded length of well-formed text (a multiple of 4 characters, up to two <c>=</c>), or -1 when the length
    /// alone shows the text is not base64.
    /// </summary>
    public static int DecodedLength(ReadOnlySpan<byte> text)
    {
        if (text.Length % 4 != 0)
        {
            return -1;
        }

        var padding = text.Length == 0 ? 0 : text[^1] != '=' ? 0 : text[^2] != '=' ? 1 : 2;
        return (text.Length / 4 * 3) - padding;
    }

    /// <summary>
    /// The fast path: decodes strict base64 in one pass, or returns false without saying why (then
    /// <see cref="Check"/> and <see cref="Decode"/> explain). .NET's decoder skips whitespace, so a text with any
    /// would decode to fewer bytes than <paramref name="decodedLength"/> (computed from its full length): that is
    /// rejected too.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> text, int decodedLength, Span<byte> destination) =>
        Base64.DecodeFromUtf8(text, destination, out var consumed, out var written) == OperationStatus.Done
        && consumed == text.Length
        && written == decodedLength;

    /// <summary>Decodes text that passed <see cref="Check"/>; returns a reason when the pad bits are not zero.</summary>
    public static string? Decode(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        var status = Base64.DecodeFromUtf8(text, destination, out _, out written);
        if (status == OperationStatus.Done)
        {
            return null;
        }

        written = 0;
        return "data is not valid base64: the unused bits of its last character are not zero (non-canonical encoding).";
    }

    private static string Describe(byte value) => value is >= 0x21 and < 0x7F
        ? Invariant($"character '{(char)value}'")
        : Invariant($"byte 0x{value:X2}");

}
