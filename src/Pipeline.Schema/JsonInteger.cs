namespace Pipeline.Schema;

/// <summary>Outcome of <see cref="JsonInteger.TryParse"/>.</summary>
internal enum JsonIntegerStatus
{
    /// <summary>The number is a whole number within the 64-bit signed range.</summary>
    Integral,

    /// <summary>The number has a non-zero fractional part.</summary>
    NotIntegral,

    /// <summary>The number is whole but outside the 64-bit signed range.</summary>
    OutOfRange,
}

/// <summary>
/// Exact conversion of a JSON number token to <see cref="long"/>, including exponent and fraction forms whose value
/// is whole (<c>1e3</c>, <c>1.0</c>, <c>12.50e1</c>) — no rounding through <see cref="double"/> or <see cref="decimal"/>.
/// </summary>
internal static class JsonInteger
{
    /// <summary>The exponent is clamped to this magnitude while parsing; any larger one is far beyond 19 digits.</summary>
    private const int ExponentClamp = 100_000_000;

    /// <summary>Parses a JSON number token (already checked against the JSON grammar by the reader).</summary>
    public static JsonIntegerStatus TryParse(ReadOnlySpan<byte> number, out long value)
    {
        value = 0;
        var i = 0;
        var negative = number.Length > 0 && number[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        var intStart = i;
        while (i < number.Length && IsDigit(number[i]))
        {
            i++;
        }

        var integerDigits = number[intStart..i];
        var fractionDigits = ReadOnlySpan<byte>.Empty;
        if (i < number.Length && number[i] == (byte)'.')
        {
            var fracStart = ++i;
            while (i < number.Length && IsDigit(number[i]))
            {
                i++;
            }

            fractionDigits = number[fracStart..i];
        }

        long exponent = 0;
        if (i < number.Length && (number[i] | 0x20) == (byte)'e')
        {
            i++;
            var exponentNegative = false;
            if (i < number.Length && number[i] is (byte)'+' or (byte)'-')
            {
                exponentNegative = number[i] == (byte)'-';
                i++;
            }

            while (i < number.Length && IsDigit(number[i]))
            {
                exponent = Math.Min(ExponentClamp, (exponent * 10) + (number[i] - '0'));
                i++;
            }

            if (exponentNegative)
            {
                exponent = -exponent;
            }
        }

        if (i != number.Length || integerDigits.IsEmpty)
        {
            // Not a JSON number: the reader never hands such a token over.
            return JsonIntegerStatus.NotIntegral;
        }

        // The digits D = integerDigits ++ fractionDigits with the decimal point after position pointPosition.
        var digitCount = integerDigits.Length + fractionDigits.Length;
        var first = -1;
        var last = -1;
        for (var d = 0; d < digitCount; d++)
        {
            if (DigitAt(integerDigits, fractionDigits, d) != 0)
            {
                if (first < 0)
                {
                    first = d;
                }

                last = d;
            }
        }

        if (first < 0)
        {
            return JsonIntegerStatus.Integral; // zero, e.g. -0.0e5
        }

        var pointPosition = integerDigits.Length + exponent;
        if (last >= pointPosition)
        {
            return JsonIntegerStatus.NotIntegral;
        }

        var wholeDigits = pointPosition - first;
        if (wholeDigits > 19)
        {
            return JsonIntegerStatus.OutOfRange;
        }

        ulong magnitude = 0;
        for (var d = first; d < pointPosition; d++)
        {
            var digit = d < digitCount ? DigitAt(integerDigits, fractionDigits, d) : 0;
            magnitude = (magnitude * 10) + (ulong)digit; // at most 19 digits: cannot overflow a ulong
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return JsonIntegerStatus.OutOfRange;
            }

            value = (long)(0 - magnitude);
            return JsonIntegerStatus.Integral;
        }

        if (magnitude > long.MaxValue)
        {
            return JsonIntegerStatus.OutOfRange;
        }

        value = (long)magnitude;
        return JsonIntegerStatus.Integral;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int DigitAt(ReadOnlySpan<byte> integerDigits, ReadOnlySpan<byte> fractionDigits, int index) =>
        (index < integerDigits.Length ? integerDigits[index] : fractionDigits[index - integerDigits.Length]) - '0';
}
