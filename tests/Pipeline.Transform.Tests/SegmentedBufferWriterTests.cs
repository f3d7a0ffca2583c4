using Pipeline.Ingestion;

namespace Pipeline.Transform.Tests;

public class SegmentedBufferWriterTests
{
    private static byte[] Pattern(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7))];

    private static void WriteInPieces(SegmentedBufferWriter writer, byte[] data, int piece)
    {
        for (var offset = 0; offset < data.Length; offset += piece)
        {
            var count = Math.Min(piece, data.Length - offset);
            data.AsSpan(offset, count).CopyTo(writer.GetSpan(count));
            writer.Advance(count);
        }
    }

    [Fact]
    public void Write_AcrossSegments_ReadsBackInOrder()
    {
        var writer = new SegmentedBufferWriter(256);
        var data = Pattern(10_000);

        WriteInPieces(writer, data, 100);

        Assert.Equal(data.Length, writer.WrittenCount);
        Assert.Equal(data, writer.ToArray());
        using var copy = new MemoryStream();
        writer.AsStream().CopyTo(copy);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public void GetSpan_LargerThanASegment_GetsOneContiguousSpan()
    {
        var writer = new SegmentedBufferWriter(256);
        WriteInPieces(writer, Pattern(100), 100);

        var span = writer.GetSpan(5000);

        Assert.True(span.Length >= 5000);
        Pattern(5000).CopyTo(span);
        writer.Advance(5000);
        Assert.Equal([.. Pattern(100), .. Pattern(5000)], writer.ToArray());
    }

    [Fact]
    public void Reset_ReusesTheSegmentsWithoutAllocating()
    {
        var writer = new SegmentedBufferWriter(256);
        var data = Pattern(10_000);
        WriteInPieces(writer, data, 100);
        writer.Reset();

        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteInPieces(writer, data, 100);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(data, writer.ToArray());
    }

    [Fact]
    public void Reset_ThenSmallerOutput_HoldsOnlyTheNewBytes()
    {
        var writer = new SegmentedBufferWriter(256);
        WriteInPieces(writer, Pattern(1000), 50);
        writer.Reset();

        WriteInPieces(writer, [1, 2, 3], 3);

        Assert.Equal([1, 2, 3], writer.ToArray());
        Assert.Equal(3, writer.AsStream().Length);
    }

    [Fact]
    public void Stream_ReadsSeeksAndRefusesWrites()
    {
        var writer = new SegmentedBufferWriter(256);
        var data = Pattern(1000);
        WriteInPieces(writer, data, 300);
        using var stream = writer.AsStream();

        var buffer = new byte[10];
        stream.Seek(-10, SeekOrigin.End);
        Assert.Equal(10, stream.Read(buffer, 0, 10));
        Assert.Equal(data[^10..], buffer);
        Assert.Equal(0, stream.Read(buffer, 0, 10));
        Assert.Equal(-1, stream.ReadByte());
        stream.Position = 256;
        Assert.Equal(data[256], stream.ReadByte());
        Assert.Equal((true, true, false), (stream.CanRead, stream.CanSeek, stream.CanWrite));
        Assert.Throws<NotSupportedException>(() => stream.Write(buffer, 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
    }

    [Fact]
    public async Task Stream_ReadAsync_ReadsEverything()
    {
        var writer = new SegmentedBufferWriter(256);
        var data = Pattern(1000);
        WriteInPieces(writer, data, 64);
        using var stream = writer.AsStream();
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public void Advance_MoreThanHandedOut_Throws()
    {
        var writer = new SegmentedBufferWriter(256);
        var length = writer.GetSpan(10).Length;

        Assert.Throws<InvalidOperationException>(() => writer.Advance(length + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentedBufferWriter(255));
    }
}
