using Pipeline.Ingestion;

namespace Pipeline.Transform.Tests;

public class PayloadBufferTests
{
    private sealed class Unseekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1000));
    }

    [Fact]
    public void ReadFrom_SeekableStream_ReadsExactlyTheRest()
    {
        var buffer = new PayloadBuffer();
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

        var payload = buffer.ReadFrom(new MemoryStream(data) { Position = 10 });

        Assert.Equal(data[10..], payload.ToArray());
        Assert.Equal(4990, buffer.Capacity);
    }

    [Fact]
    public void ReadFrom_UnseekableStream_GrowsAndReadsEverything()
    {
        var buffer = new PayloadBuffer();
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 3)).ToArray();

        var payload = buffer.ReadFrom(new Unseekable(data));

        Assert.Equal(data, payload.ToArray());
    }

    [Fact]
    public void ReadFrom_SmallerPayloadLater_ReusesTheArrayWithoutAllocating()
    {
        var buffer = new PayloadBuffer();
        buffer.ReadFrom(new MemoryStream(new byte[10_000]));
        var small = new MemoryStream([1, 2, 3]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var payload = buffer.ReadFrom(small);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal([1, 2, 3], payload.ToArray());
        Assert.Equal(10_000, buffer.Capacity);
    }

    [Fact]
    public void ReadFrom_EmptyStream_ReturnsNothing()
    {
        Assert.True(new PayloadBuffer().ReadFrom(new MemoryStream()).IsEmpty);
        Assert.True(new PayloadBuffer().ReadFrom(new Unseekable([])).IsEmpty);
    }

    [Fact]
    public void ReadFrom_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new PayloadBuffer().ReadFrom(null!));
    }
}
