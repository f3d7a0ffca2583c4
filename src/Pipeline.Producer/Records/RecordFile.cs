using System.Runtime.CompilerServices;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Records;

/// <summary>
/// A file of records, one per line, each ending with a newline: what <c>produce --out</c> and <c>--not-sent</c> write.
/// Records are read byte for byte, as stored.
/// </summary>
public static class RecordFile
{
    /// <summary>The records of the open file <paramref name="name"/>, in order; a read failure or a last line without its newline is reported, not sent.</summary>
    public static async IAsyncEnumerable<KinesisRecord> RecordsAsync(
        Stream stream, string name, SourceReport report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(report);
        report.Opened();
        var reader = new LineReader(stream);
        while (true)
        {
            byte[]? line;
            string? fault = null;
            try
            {
                line = await reader.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                (line, fault) = (null, $"reading failed ({e.Message})");
            }

            if (fault is not null)
            {
                report.Failed(name, reader, fault);
                yield break;
            }

            if (line is null)
            {
                if (reader.Remainder > 0)
                {
                    report.EndedMidLine(name, reader);
                }

                yield break;
            }

            var origin = new RecordOrigin(name, reader.Lines);
            report.Read(origin);
            yield return new KinesisRecord(line, RecordKeys.KeyOf(line), origin);
        }
    }
}
