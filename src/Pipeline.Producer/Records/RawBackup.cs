using System.IO.Compression;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Records;

/// <summary>
/// One day of the lake's raw zone: Firehose's backup of every source record exactly as producers sent it, GZIP objects
/// under <c>raw/&lt;table&gt;/ingest_date=yyyy-MM-dd/</c>, one record per line.
/// </summary>
public sealed class RawBackup
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _table;

    /// <summary>Reads the raw zone of <paramref name="table"/> in <paramref name="bucket"/>.</summary>
    public RawBackup(IAmazonS3 s3, string bucket, string table)
    {
        _s3 = s3 ?? throw new ArgumentNullException(nameof(s3));
        _bucket = bucket ?? throw new ArgumentNullException(nameof(bucket));
        _table = table ?? throw new ArgumentNullException(nameof(table));
    }

    /// <summary>The key prefix of one day's objects.</summary>
    public static string Prefix(string table, DateOnly date) => $"raw/{table}/ingest_date={date:yyyy-MM-dd}/";

    /// <summary>The <c>s3://</c> URL of a key in the bucket.</summary>
    public string Url(string key) => $"s3://{_bucket}/{key}";

    /// <summary>The day's object keys, in key order (the order Firehose wrote them).</summary>
    /// <exception cref="AmazonS3Exception">The bucket does not exist, or S3 refused the listing.</exception>
    public async Task<IReadOnlyList<string>> ObjectsAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = Prefix(_table, date) };
        var keys = new List<string>();
        ListObjectsV2Response page;
        do
        {
            page = await _s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return [.. keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The objects' records, in order, byte for byte as stored. Each object is decompressed whole before any of its
    /// records is returned, so that a corrupt object (whose bytes gzip's checksum only disowns at its end) gives none. A
    /// truncated object, or one whose download fails, gives the complete lines before the cut. Every object that cannot be
    /// read completely is reported in <paramref name="report"/> with how far it got, and the next object is read.
    /// </summary>
    public async IAsyncEnumerable<KinesisRecord> RecordsAsync(
        IReadOnlyList<string> keys, SourceReport report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(report);
        foreach (var key in keys)
        {
            var source = Url(key);
            var (content, fault, trusted) = await DecompressAsync(key, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                report.Unreadable(source, fault!);
                continue;
            }

            report.Opened();
            using (content)
            {
                var reader = new LineReader(content);
                while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (trusted)
                    {
                        var origin = new RecordOrigin(source, reader.Lines);
                        report.Read(origin);
                        yield return new KinesisRecord(line, RecordKeys.KeyOf(line), origin);
                    }
                }

                if (fault is not null)
                {
                    report.Failed(source, reader, trusted ? fault : $"{fault}: its content cannot be trusted, none of it was sent", trusted);
                }
                else if (reader.Remainder > 0)
                {
                    report.EndedMidLine(source, reader);
                }
            }
        }
    }

    // The whole decompressed object, or why not: a fault with the bytes before it (trusted when the input was only cut
    // short), or no content at all when the object cannot be fetched or is empty.
    private async Task<(MemoryStream? Content, string? Fault, bool Trusted)> DecompressAsync(string key, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(_bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            return (null, $"cannot be read ({e.Message}); none of its records were sent", false);
        }

        using (response)
        {
            if (response.ContentLength == 0)
            {
                // An empty stream is no gzip, yet GZipStream reads it as zero records without complaint.
                return (null, "is empty (0 bytes), not a gzip object", false);
            }

            var content = new MemoryStream();
            try
            {
                // Truncated input is an error, not an early end: System.IO.Compression.UseStrictValidation (runtimeconfig).
                await using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
                await gzip.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                return (Rewound(content), null, true);
            }
            catch (InvalidDataException e)
            {
                // Only a cut-short input leaves the bytes before the cut as they were written (zlib's "truncated data").
                var truncated = e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase);
                return (Rewound(content), $"{(truncated ? "truncated" : "not a valid gzip object")} ({e.Message})", truncated);
            }
            catch (Exception e) when (e is IOException or AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                return (Rewound(content), $"the download failed ({e.Message})", true);
            }
        }
    }

    private static MemoryStream Rewound(MemoryStream content)
    {
        content.Position = 0;
        return content;
    }
}
