using System.Text;
using Pipeline.Ingestion;

namespace Pipeline.Transform.Tests;

public class StrictBase64Tests
{
    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Theory]
    [InlineData("", 0)]
    [InlineData("QQ==", 1)]
    [InlineData("QUI=", 2)]
    [InlineData("QUJD", 3)]
    [InlineData("+/+/", 3)]
    public void Check_CanonicalText_GivesDecodedLength(string text, int length)
    {
        Assert.Null(StrictBase64.Check(Ascii(text), out var decoded));
        Assert.Equal(length, decoded);
        Assert.Equal(length, StrictBase64.DecodedLength(Ascii(text)));
    }

    [Theory]
    [InlineData("QUJD\n")]
    [InlineData("QU JD")]
    [InlineData("QUJ-")]
    [InlineData("QQ=")]
    [InlineData("QR==")]
    [InlineData("QUJ=")]
    [InlineData("Q===")]
    [InlineData("QQ==QQ==")]
    public void TryDecode_AnythingButCanonicalText_IsRefused(string text)
    {
        var bytes = Ascii(text);
        var destination = new byte[16];

        Assert.False(StrictBase64.DecodedLength(bytes) is var length and >= 0 && StrictBase64.TryDecode(bytes, length, destination));
        Assert.False(StrictBase64.Check(bytes, out _) is null && StrictBase64.Decode(bytes, destination, out _) is null);
    }

    [Fact]
    public void TryDecode_RandomBytes_MatchConvert()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var data = new byte[random.Next(0, 64)];
            random.NextBytes(data);
            var text = Ascii(Convert.ToBase64String(data));
            var destination = new byte[data.Length];

            Assert.Equal(data.Length, StrictBase64.DecodedLength(text));
            Assert.True(StrictBase64.TryDecode(text, data.Length, destination));
            Assert.Equal(data, destination);
        }
    }

    [Fact]
    public void Decode_NonZeroPadBits_ExplainsNonCanonical()
    {
        Assert.Equal(
            "data is not valid base64: the unused bits of its last character are not zero (non-canonical encoding).",
            StrictBase64.Decode(Ascii("QR=="), new byte[4], out var written));
        Assert.Equal(0, written);
    }
}
