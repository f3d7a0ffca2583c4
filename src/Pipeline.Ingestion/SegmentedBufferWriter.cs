using System.Buffers;

namespace Pipeline.Ingestion;

/// <summary>
/// A reusable <see cref="IBufferWriter{T}"/> that keeps what is written in a chain of arrays (64 KiB by default) and
/// can be read back as a <see cref="Stream"/>: the output of a Lambda invocation, built without ever copying it into
/// one large array and without regrowing. After <see cref="Reset"/> the same arrays are written again, so a warm
/// function allocates no output memory at all.
/// </summary>
/// <remarks>
/// A request larger than a segment (e.g. the base64 of a 1,000 KiB record) gets a segment of its own size. Not
/// thread-safe.
/// </remarks>
public sealed class SegmentedBufferWriter : IBufferWriter<byte>
{
    /// <summary>The size of a segment unless a larger contiguous span is requested.</summary>
    public const int DefaultSegmentSize = 64 * 1024;

    private readonly List<byte[]> _segments = [];
    private readonly List<int> _lengths = [];
    private readonly int _segmentSize;
    private int _current = -1;
    private int _position;
    private long _committed;

    /// <summary>Creates an empty writer.</summary>
    /// <param name="segmentSize">The usual segment size in bytes (at least 256).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segmentSize"/> is below 256.</exception>
    public SegmentedBufferWriter(int segmentSize = DefaultSegmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentSize, 256);
        _segmentSize = segmentSize;
    }

    /// <summary>The number of bytes written (advanced) since the last <see cref="Reset"/>.</summary>
    public long WrittenCount => _committed;

    /// <summary>Forgets what was written and keeps the segments for reuse. Streams opened before read the new data.</summary>
    public void Reset()
    {
        _current = -1;
        _position = 0;
        _committed = 0;
        for (var i = 0; i < _lengths.Count; i++)
        {
            _lengths[i] = 0;
        }
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        if (_current < 0 || count > _segments[_current].Length - _position)
        {
            throw new InvalidOperationException(
                $"Cannot advance {count} bytes: only {(_current < 0 ? 0 : _segments[_current].Length - _position)} were handed out.");
        }

        _position += count;
        _lengths[_current] = _position;
        _committed += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureSpace(sizeHint);
        return _segments[_current].AsMemory(_position);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureSpace(sizeHint);
        return _segments[_current].AsSpan(_position);
    }

    /// <summary>Copies what was written into a new array (for tests and small outputs).</summary>
    /// <returns>The bytes written.</returns>
    public byte[] ToArray()
    {
        var result = new byte[_committed];
        var offset = 0;
        for (var i = 0; i <= _current; i++)
        {
            _segments[i].AsSpan(0, _lengths[i]).CopyTo(result.AsSpan(offset));
            offset += _lengths[i];
        }

        return result;
    }

    /// <summary>
    /// Opens a read-only, seekable stream over what was written. It reads the segments in place: it is valid until
    /// the writer is reset or written to again.
    /// </summary>
    /// <returns>The stream.</returns>
    public Stream AsStream() => new SegmentStream(this);

    private void EnsureSpace(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var needed = Math.Max(sizeHint, 1);
        if (_current >= 0 && _segments[_current].Length - _position >= needed)
        {
            return;
        }

        var next = _current + 1;
        if (next == _segments.Count)
        {
            _segments.Add(new byte[Math.Max(_segmentSize, needed)]);
            _lengths.Add(0);
        }
        else if (_segments[next].Length < needed)
        {
            _segments[next] = new byte[Math.Max(_segmentSize, needed)];
        }

        _current = next;
        _position = 0;
        _lengths[next] = 0;
    }

    /// <summary>Reads the segments of a <see cref="SegmentedBufferWriter"/> in place.</summary>
    private sealed class SegmentStream(SegmentedBufferWriter owner) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => owner._committed;

        public override long Position
        {
            get => _position;
            set
            {
                ArgumentOutOfRangeException.ThrowIfNegative(value);
                _position = value;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var total = 0;
            var skip = _position;
            for (var i = 0; i <= owner._current && buffer.Length > 0; i++)
            {
                var length = owner._lengths[i];
                if (skip >= length)
                {
                    skip -= length;
                    continue;
                }

                var available = owner._segments[i].AsSpan((int)skip, length - (int)skip);
                skip = 0;
                var n = Math.Min(available.Length, buffer.Length);
                available[..n].CopyTo(buffer);
                buffer = buffer[n..];
                total += n;
            }

            _position += total;
            return total;
        }

        public override int ReadByte()
        {
            Span<byte> one = stackalloc byte[1];
            return Read(one) == 1 ? one[0] : -1;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void CopyTo(Stream destination, int bufferSize)
        {
            ArgumentNullException.ThrowIfNull(destination);
            var skip = _position;
            for (var i = 0; i <= owner._current; i++)
            {
                var length = owner._lengths[i];
                if (skip >= length)
                {
                    skip -= length;
                    continue;
                }

                destination.Write(owner._segments[i], (int)skip, length - (int)skip);
                skip = 0;
            }

            _position = Math.Max(_position, owner._committed);
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                SeekOrigin.End => owner._committed + offset,
                _ => throw new ArgumentOutOfRangeException(nameof(origin)),
            };
            Position = target;
            return target;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException("The stream is read-only.");

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The stream is read-only.");
    }
}
