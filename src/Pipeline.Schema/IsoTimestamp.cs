namespace Pipeline.Schema;

/// <summary>Outcome of <see cref="IsoTimestamp.TryParse"/>.</summary>
internal enum IsoTimestampStatus
{
    /// <summary>Parsed.</summary>
    Valid,

    /// <summary>Not of the form <c>yyyy-MM-ddTHH:mm[:ss[.f…]](Z|±hh:mm)</c>.</summary>
    Malformed,

    /// <summary>A well-formed local date-time without an offset: ambiguous.</summary>
    NoOffset,

    /// <summary>Well-formed, but an impossible date, time or offset (e.g. February 30, 24:00, +15:00).</summary>
    Impossible,
}

/// <summary>
/// A strict parser for ISO-8601 extended-format date-times with an explicit offset, the RFC 3339 profile:
/// <c>yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)</c>.
/// </summary>
/// <remarks>
/// Accepted: an upper-case <c>T</c> and <c>Z</c>; a fraction of 1 to 9 digits (digits past the 7th, below 100 ns, are
/// truncated); offsets up to ±14:00 (<c>-00:00</c> counts as UTC); seconds may be omitted (<c>10:15Z</c>, as Java's
/// <c>OffsetDateTime.toString</c> writes whole minutes). Rejected: a missing offset, basic format (<c>20261121</c>),
/// a space for <c>T</c>, offsets without a colon, hour 24 and leap second 60 (not representable in .NET).
/// </remarks>
internal static class IsoTimestamp
{
    public const int MaxLength = 35; // yyyy-MM-ddTHH:mm:ss.fffffffff+hh:mm

    public static IsoTimestampStatus TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 16 || text.Length > MaxLength
            || !TwoDigits(text, 0, out var century) || !TwoDigits(text, 2, out var yearInCentury) || text[4] != '-'
            || !TwoDigits(text, 5, out var month) || text[7] != '-'
            || !TwoDigits(text, 8, out var day) || text[10] != 'T'
            || !TwoDigits(text, 11, out var hour) || text[13] != ':'
            || !TwoDigits(text, 14, out var minute))
        {
            return IsoTimestampStatus.Malformed;
        }

        var position = 16;
        var second = 0;
        long fractionTicks = 0;
        if (position < text.Length && text[position] == ':')
        {
            if (!TwoDigits(text, position + 1, out second))
            {
                return IsoTimestampStatus.Malformed;
            }

            position += 3;
            if (position < text.Length && text[position] == '.')
            {
                position++;
                var digits = 0;
                while (position < text.Length && IsDigit(text[position]))
                {
                    if (digits < 7)
                    {
                        fractionTicks = (fractionTicks * 10) + (text[position] - '0');
                    }

                    digits++;
                    position++;
                }

                if (digits is 0 or > 9)
                {
                    return IsoTimestampStatus.Malformed;
                }

                for (; digits < 7; digits++)
                {
                    fractionTicks *= 10;
                }
            }
        }

        if (position == text.Length)
        {
            return IsoTimestampStatus.NoOffset;
        }

        var offsetMinutes = 0;
        if (text[position] == 'Z')
        {
            position++;
        }
        else if (text[position] is (byte)'+' or (byte)'-')
        {
            if (!TwoDigits(text, position + 1, out var offsetHours) || position + 3 >= text.Length
                || text[position + 3] != ':' || !TwoDigits(text, position + 4, out var offsetMinutePart))
            {
                return IsoTimestampStatus.Malformed;
            }

            if (offsetHours > 14 || offsetMinutePart > 59 || (offsetHours == 14 && offsetMinutePart > 0))
            {
                return IsoTimestampStatus.Impossible;
            }

            offsetMinutes = ((offsetHours * 60) + offsetMinutePart) * (text[position] == '-' ? -1 : 1);
            position += 6;
        }
        else
        {
            return IsoTimestampStatus.Malformed;
        }

        if (position != text.Length)
        {
            return IsoTimestampStatus.Malformed;
        }

        var year = (century * 100) + yearInCentury;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return IsoTimestampStatus.Impossible;
        }

        var localTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utcTicks = localTicks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return IsoTimestampStatus.Impossible;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return IsoTimestampStatus.Valid;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TwoDigits(ReadOnlySpan<byte> text, int index, out int value)
    {
        if (index + 1 < text.Length && IsDigit(text[index]) && IsDigit(text[index + 1]))
        {
            value = ((text[index] - '0') * 10) + (text[index + 1] - '0');
            return true;
        }

        value = 0;
        return false;
    }
}
