namespace Pipeline.Core.Schema;

/// <summary>
/// A fast, exact parser for the common JSON numbers: plain decimals (<c>-?digits[.digits]</c>, no exponent) with at
/// most 15 significant digits. Such a number is <c>m / 10^k</c> with <c>m &lt; 2^53</c> and <c>k &lt;= 22</c>, both
/// exactly representable as doubles, so one IEEE division gives the correctly rounded result: bit for bit the value a
/// full parser returns (Clinger's fast path). Anything else is left to the full parser.
/// </summary>
internal static class JsonDecimal
{
    private const int MaxDigits = 15;

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
        var i = 0;
        var negative = false;
        if (token.Length > 0 && token[0] == '-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var inFraction = false;
        for (; i < token.Length; i++)
        {
            var b = token[i];
            if ((uint)(b - '0') <= 9)
            {
                if (mantissa != 0 || b != '0')
                {
                    if (++digits > MaxDigits)
                    {
                        return false;
                    }
                }

                mantissa = (mantissa * 10) + (uint)(b - '0');
                if (inFraction)
                {
                    fractionDigits++;
                }
            }
            else if (b == '.' && !inFraction)
            {
                inFraction = true;
            }
            else
            {
                return false; // an exponent (or anything unexpected): the full parser decides
            }
        }

        if (fractionDigits >= PowersOfTen.Length)
        {
            return false;
        }

        var magnitude = (double)mantissa / PowersOfTen[fractionDigits];
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
