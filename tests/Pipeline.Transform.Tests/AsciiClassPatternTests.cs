using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Schema;

namespace Pipeline.Transform.Tests;

public class AsciiClassPatternTests
{
    [Theory]
    [InlineData("^[A-Za-z0-9._:-]+$")]
    [InlineData("^[a-z]*$")]
    [InlineData("^[-a-f0-9]+$")]
    [InlineData("^[ !#%&*,;<>@_~]+$")]
    public void TryCreate_SimpleAsciiClass_IsRecognised(string pattern)
    {
        Assert.NotNull(AsciiClassPattern.TryCreate(pattern));
    }

    [Theory]
    [InlineData("^[^a-z]+$")]
    [InlineData("^[a-z]{2}$")]
    [InlineData("^[\\w]+$")]
    [InlineData("^[a-z]+")]
    [InlineData("[a-z]+$")]
    [InlineData("^[a-Z]+$")]
    [InlineData("^[z-a]+$")]
    [InlineData("^[a-z-[aeiou]]+$")]
    [InlineData("^[a-c-e]+$")]
    [InlineData("^[!-/]+$")]
    [InlineData("^[]+$")]
    [InlineData("^[\u00e9]+$")]
    [InlineData("^[a]+$|^b$")]
    public void TryCreate_AnythingElse_IsLeftToTheRegex(string pattern)
    {
        Assert.Null(AsciiClassPattern.TryCreate(pattern));
    }

    [Fact]
    public void IsMatch_RandomText_AgreesWithTheRegex()
    {
        var random = new Random(17);
        const string Alphabet = "aAzZ09._:- \n\t\u00e9\U0001F3ED/\\^[]x";
        foreach (var pattern in new[] { "^[A-Za-z0-9._:-]+$", "^[a-z]*$", "^[-a-f0-9]+$", "^[ !#%&*,;<>@_~]+$" })
        {
            var fast = AsciiClassPattern.TryCreate(pattern)!;
            var regex = new Regex(pattern[..^1] + "\\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            for (var i = 0; i < 5000; i++)
            {
                var text = new StringBuilder();
                for (var n = random.Next(0, 12); n > 0; n--)
                {
                    text.Append(random.Next(3) == 0 ? (char)random.Next(0x20, 0x7F) : Alphabet[random.Next(Alphabet.Length)]);
                }

                var value = text.ToString();
                if (!value.Any(char.IsSurrogate) || char.IsSurrogatePair(value, 0) || value.Length == 0)
                {
                    Assert.True(regex.IsMatch(value) == fast.IsMatch(Encoding.UTF8.GetBytes(value)), $"{pattern} on '{value}'");
                }
            }
        }
    }
}
