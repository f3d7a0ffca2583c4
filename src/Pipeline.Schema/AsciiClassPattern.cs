using System.Buffers;

namespace Pipeline.Schema;

/// <summary>
/// A fast path for the most common kind of field pattern, a whole-value ASCII character class such as
/// <c>^[A-Za-z0-9._:-]+$</c>: it matches UTF-8 bytes directly with a vectorised search, with the same result as the
/// regular expression (which needs the value as UTF-16) for every input.
/// </summary>
/// <remarks>
/// Recognised: <c>^[</c>class<c>]+$</c> or <c>^[</c>class<c>]*$</c> where the class holds ranges between two ASCII
/// letters or digits of the same kind (<c>a-z</c>, <c>A-Z</c>, <c>0-9</c> or parts of them) and printable ASCII
/// characters other than <c>\ [ ] ^</c>; <c>-</c> only first or last. Anything else (escapes, negation, subtraction,
/// other quantifiers) is left to the regular expression. A value matches when it is long enough (one character for
/// <c>+</c>) and every byte is in the class; a non-ASCII byte never is, as no non-ASCII character is.
/// </remarks>
internal sealed class AsciiClassPattern
{
    private readonly SearchValues<byte> _members;
    private readonly bool _allowsEmpty;

    private AsciiClassPattern(SearchValues<byte> members, bool allowsEmpty)
    {
        _members = members;
        _allowsEmpty = allowsEmpty;
    }

    /// <summary>Recognises a pattern as written in a <see cref="FieldDefinition"/> (final <c>$</c> = end of value).</summary>
    public static AsciiClassPattern? TryCreate(string pattern)
    {
        if (pattern.Length < 6 || !pattern.StartsWith("^[", StringComparison.Ordinal)
            || !(pattern.EndsWith("]+$", StringComparison.Ordinal) || pattern.EndsWith("]*$", StringComparison.Ordinal)))
        {
            return null;
        }

        var body = pattern.AsSpan(2, pattern.Length - 5);
        if (body.IsEmpty)
        {
            return null;
        }

        var members = new List<byte>();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is < ' ' or > '~' or '\\' or '[' or ']' or '^')
            {
                return null;
            }

            if (c == '-')
            {
                if (i != 0 && i != body.Length - 1)
                {
                    return null;
                }

                members.Add((byte)'-');
                continue;
            }

            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                var high = body[i + 2];
                if (!SameKind(c, high) || high < c)
                {
                    return null;
                }

                for (var member = c; member <= high; member++)
                {
                    members.Add((byte)member);
                }

                i += 2;
                continue;
            }

            members.Add((byte)c);
        }

        return new AsciiClassPattern(SearchValues.Create([.. members.Distinct()]), pattern[^2] == '*');
    }

    /// <summary>Whether valid UTF-8 text matches the pattern.</summary>
    public bool IsMatch(ReadOnlySpan<byte> utf8) =>
        (_allowsEmpty || !utf8.IsEmpty) && utf8.IndexOfAnyExcept(_members) < 0;

    private static bool SameKind(char low, char high) =>
        (char.IsAsciiLetterLower(low) && char.IsAsciiLetterLower(high))
        || (char.IsAsciiLetterUpper(low) && char.IsAsciiLetterUpper(high))
        || (char.IsAsciiDigit(low) && char.IsAsciiDigit(high));
}
