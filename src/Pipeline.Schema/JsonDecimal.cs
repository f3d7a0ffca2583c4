namespace Pipeline.Schema;

/// <summary>
/// A fast, exact parser for the common JSON numbers: plain decimals (<c>-?digits[.digits]</c>, no exponent) whose
/// digits, read as an integer <c>m</c>, are at most 2^53, with at most 22 after the point. Such a number is
/// <c>m / 10^k</c> with both operands exactly representable as doubles, so one IEEE division gives the correctly
/// rounded result: bit for bit the value a full parser returns (Clinger's fast path). Anything else is left to the
/// full parser.
/// </summary>
internal static class JsonDecimal
{
    private const int MaxDigits = 19;

    private const ulong MaxExactMantissa = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses a JSON number token (already checked by the reader) when the fast path applies.</summary>
    /// <param name="token">The number token.</param>
    /// <param name="value">The value, when parsed.</param>
    /// <returns>Whether the fast path applied; when false, use a full parser.</returns>
    public static bool TryParseExact(ReadOnlySpan<byte> token, out double value)
    {
        value = 0;
        var negative = token.Length > 0 && token[0] == '-';
        var i = negative ? 1 : 0;
        var digitsStart = i;
        ulong mantissa = 0;
        while (i < token.Length && (uint)(token[i] - '0') <= 9)
        {
            mantissa = (mantissa * 10) + (uint)(token[i] - '0');
            i++;
        }

        var digits = i - digitsStart;
        var fractionDigits = 0;
        if (i < token.Length)
        {
            if (token[i] != '.')
            {
                return false; // an exponent: the full parser decides
            }

            var fractionStart = ++i;
            while (i < token.Length && (uint)(token[i] - '0') <= 9)
            {
                mantissa = (mantissa * 10) + (uint)(token[i] - '0');
                i++;
            }

            fractionDigits = i - fractionStart;
            digits += fractionDigits;
            if (i != token.Length)
            {
                return false;
            }
        }

        // At most 19 digits cannot overflow 64 bits; a mantissa up to 2^53 and a power of ten up to 10^22 are exact.
        if (digits > MaxDigits || mantissa > MaxExactMantissa || fractionDigits >= PowersOfTen.Length)
        {
            return false;
        }

        var magnitude = (double)mantissa / PowersOfTen[fractionDigits];
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
