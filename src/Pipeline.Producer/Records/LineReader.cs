namespace Pipeline.Producer.Records;

/// <summary>
/// Splits a stream into records: the bytes up to and including each <c>\n</c>, exactly as stored (no decoding, no
/// newline rewriting; a <c>\r</c> before the <c>\n</c> belongs to the record). Bytes after the last <c>\n</c> are not a
/// record: <see cref="Remainder"/> counts them, for the caller to report.
/// </summary>
internal sealed class LineReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    // The line being read, as its pieces arrive.
    private readonly List<byte> _line = [];
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>Complete lines read so far.</summary>
    public long Lines { get; private set; }

    /// <summary>Bytes of the complete lines read so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Bytes read after the last complete line: a line the stream ended (or failed) in the middle of.</summary>
    public long Remainder => _line.Count + (_end - _start);

    /// <summary>The next line with its <c>\n</c>, or null at the end of the stream.</summary>
    /// <exception cref="IOException">Reading failed; what was read before stays counted.</exception>
    /// <exception cref="InvalidDataException">The stream is not what it claims to be (e.g. a corrupt or truncated gzip).</exception>
    public async ValueTask<byte[]?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                _line.AddRange(_buffer.AsSpan(_start, newline + 1 - _start));
                _start = newline + 1;
                var line = _line.ToArray();
                _line.Clear();
                Lines++;
                Bytes += line.Length;
                return line;
            }

            _line.AddRange(_buffer.AsSpan(_start, _end - _start));
            (_start, _end) = (0, 0);
            if (_ended)
            {
                return null;
            }

            var read = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            _end = read;
            _ended = read == 0;
        }
    }
}
