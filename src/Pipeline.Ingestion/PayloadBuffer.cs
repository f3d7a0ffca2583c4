namespace Pipeline.Ingestion;

/// <summary>
/// Reads an invocation payload from a stream into one reusable array: sized exactly from the stream's length when it
/// is known, grown by doubling otherwise, and kept for the next invocation, so a warm function reads its input
/// without allocating.
/// </summary>
/// <remarks>Not thread-safe; the returned memory is valid until the next <see cref="ReadFrom"/>.</remarks>
public sealed class PayloadBuffer
{
    private const int InitialCapacity = 64 * 1024;

    private byte[] _buffer = [];

    /// <summary>The capacity kept for the next payload, in bytes.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Reads the rest of the stream.</summary>
    /// <param name="input">The stream; it is read to its end and not disposed.</param>
    /// <returns>The bytes read, valid until the next call.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="InvalidDataException">The payload is larger than an array can hold.</exception>
    public ReadOnlyMemory<byte> ReadFrom(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.CanSeek)
        {
            var remaining = Math.Max(0, input.Length - input.Position);
            if (remaining > Array.MaxLength)
            {
                throw new InvalidDataException($"The payload of {remaining} bytes is too large to read into memory.");
            }

            if (_buffer.Length < remaining)
            {
                _buffer = GC.AllocateUninitializedArray<byte>((int)remaining);
            }

            input.ReadExactly(_buffer, 0, (int)remaining);
            return _buffer.AsMemory(0, (int)remaining);
        }

        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length == Array.MaxLength)
                {
                    throw new InvalidDataException("The payload is too large to read into memory.");
                }

                var grown = GC.AllocateUninitializedArray<byte>(
                    (int)Math.Min(Array.MaxLength, Math.Max(InitialCapacity, (long)_buffer.Length * 2)));
                _buffer.AsSpan(0, length).CopyTo(grown);
                _buffer = grown;
            }

            var read = input.Read(_buffer, length, _buffer.Length - length);
            if (read == 0)
            {
                return _buffer.AsMemory(0, length);
            }

            length += read;
        }
    }
}
