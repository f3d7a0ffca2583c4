using System.Globalization;
using System.Text;
using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class IsoTimestampTests
{
    private static IsoTimestampStatus Parse(string text, out DateTimeOffset value) =>
        IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out value);

    [Theory]
    [InlineData("2026-11-21T10:15:30.123Z", "2026-11-21T10:15:30.1230000+00:00")]
    [InlineData("2026-11-21T10:15:30.1234567Z", "2026-11-21T10:15:30.1234567+00:00")]
    [InlineData("2026-11-21T10:15:30.123456789Z", "2026-11-21T10:15:30.1234567+00:00")]
    [InlineData("2026-11-21T23:30:00-02:00", "2026-11-22T01:30:00.0000000+00:00")]
    [InlineData("2026-11-22T00:30:00+14:00", "2026-11-21T10:30:00.0000000+00:00")]
    [InlineData("2026-11-21T10:15+05:30", "2026-11-21T04:45:00.0000000+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999+00:00")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    public void TryParse_WithOffset_ReturnsUtcInstant(string text, string expected)
    {
        Assert.Equal(IsoTimestampStatus.Valid, Parse(text, out var value));
        Assert.Equal(expected, value.ToString("O", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-11-21T10:15:30")]
    [InlineData("2026-11-21T10:15:30.5")]
    [InlineData("2026-11-21T10:15")]
    public void TryParse_WithoutOffset_IsNoOffset(string text)
    {
        Assert.Equal(IsoTimestampStatus.NoOffset, Parse(text, out _));
    }

    [Theory]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-04-31T00:00:00Z")]
    [InlineData("2026-00-10T00:00:00Z")]
    [InlineData("2026-11-00T00:00:00Z")]
    [InlineData("2026-11-21T24:00:00Z")]
    [InlineData("2026-11-21T10:15:60Z")]
    [InlineData("2026-11-21T10:15:30+15:00")]
    [InlineData("2026-11-21T10:15:30+01:60")]
    [InlineData("9999-12-31T23:59:59-00:01")]
    [InlineData("0000-01-01T00:00:00Z")]
    public void TryParse_ImpossibleValues_IsImpossible(string text)
    {
        Assert.Equal(IsoTimestampStatus.Impossible, Parse(text, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-21")]
    [InlineData("2026-11-21T")]
    [InlineData("2026-11-21T10:1Z")]
    [InlineData("2026-11-21T10:15:3Z")]
    [InlineData("2026-11-21T10:15:30.Z")]
    [InlineData("2026-11-21T10:15:30,5Z")]
    [InlineData("2026-11-21T10:15:30ZZ")]
    [InlineData("2026-11-21T10:15:30+01")]
    [InlineData("2026-11-21T10:15:30+0100")]
    [InlineData("2026-11-21T10:15:30+01:0")]
    [InlineData("2026-11-21T10:15:30 +01:00")]
    [InlineData("+2026-11-21T10:15:30Z")]
    [InlineData("26-11-21T10:15:30Z")]
    [InlineData("2026/11/21T10:15:30Z")]
    [InlineData("2026-11-21T10:15:30.000000000000000000000Z")]
    [InlineData("２０２６-11-21T10:15:30Z")]
    public void TryParse_OtherForms_IsMalformed(string text)
    {
        Assert.Equal(IsoTimestampStatus.Malformed, Parse(text, out _));
    }
}
