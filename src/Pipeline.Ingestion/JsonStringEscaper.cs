using System.Buffers;

namespace Pipeline.Ingestion;

/// <summary>
/// Writes a JSON string token with the minimal escaping RFC 8259 requires: <c>"</c>, <c>\</c> and the control
/// characters U+0000 to U+001F; every other character, ASCII or not, is written as its UTF-8 bytes.
/// </summary>
/// <remarks>
/// System.Text.Json's encoders escape more (characters outside the Basic Multilingual Plane as a 12-byte surrogate
/// pair for 4 bytes of UTF-8, DEL, C1 controls, U+2028), which could make a normalised record larger than the input
/// it came from and break the bound that keeps the response within Lambda's 6 MB limit. With minimal escaping a
/// string is never longer than the JSON text it was read from: a character that needs escaping had to be escaped in
/// the input too, and every other escape in the input (<c>\/</c>, <c>\u00e9</c>, a surrogate pair) shrinks.
/// </remarks>
internal static class JsonStringEscaper
{
    private static readonly SearchValues<byte> NeedsEscaping = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\"u8);

    /// <summary>The exact length of the token <see cref="WriteToken"/> writes for this text, quotes included.</summary>
    public static int TokenLength(ReadOnlySpan<byte> utf8)
    {
        var length = (long)utf8.Length + 2;
        var rest = utf8;
        int next;
        while ((next = rest.IndexOfAny(NeedsEscaping)) >= 0)
        {
            length += IsShortForm(rest[next]) ? 1 : 5;
            rest = rest[(next + 1)..];
        }

        return checked((int)length);
    }

    /// <summary>Writes the quoted, escaped token for valid UTF-8 text; returns the bytes written.</summary>
    public static int WriteToken(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        if (utf8.Length <= 16)
        {
            // Short values (ids, codes) are the common case: one pass that copies and checks, no vector setup.
            var clean = true;
            for (var i = 0; i < utf8.Length; i++)
            {
                var b = utf8[i];
                clean &= b >= 0x20 && b != '"' && b != '\\';
                destination[i + 1] = b;
            }

            if (clean)
            {
                destination[utf8.Length + 1] = (byte)'"';
                return utf8.Length + 2;
            }
        }

        var written = 1;
        var rest = utf8;
        while (true)
        {
            var next = rest.IndexOfAny(NeedsEscaping);
            if (next < 0)
            {
                rest.CopyTo(destination[written..]);
                written += rest.Length;
                break;
            }

            rest[..next].CopyTo(destination[written..]);
            written += next;
            written += Escape(rest[next], destination[written..]);
            rest = rest[(next + 1)..];
        }

        destination[written] = (byte)'"';
        return written + 1;
    }

    private static bool IsShortForm(byte value) => value is (byte)'"' or (byte)'\\' or (byte)'\b' or (byte)'\f' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    private static int Escape(byte value, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        byte shortForm = value switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\b' => (byte)'b',
            (byte)'\f' => (byte)'f',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            _ => 0,
        };
        if (shortForm != 0)
        {
            destination[1] = shortForm;
            return 2;
        }

        const string Hex = "0123456789ABCDEF";
        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = (byte)Hex[value >> 4];
        destination[5] = (byte)Hex[value & 0xF];
        return 6;
    }
}
