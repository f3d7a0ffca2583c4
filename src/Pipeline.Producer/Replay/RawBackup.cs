using System.IO.Compression;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Pipeline.Producer.Replay;

/// <summary>
/// One day of the lake's raw zone: Firehose's backup of every source record exactly as producers sent it, GZIP objects
/// under <c>raw/&lt;table&gt;/ingest_date=yyyy-MM-dd/</c>, one JSON record per line.
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

    /// <summary>The day's records in key order, each one line ending with a newline, as they were sent.</summary>
    public async IAsyncEnumerable<byte[]> RecordsAsync(DateOnly date, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = Prefix(_table, date) };
        ListObjectsV2Response page;
        do
        {
            page = await _s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var key in (page.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal))
            {
                using var response = await _s3.GetObjectAsync(_bucket, key, cancellationToken).ConfigureAwait(false);
                await using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
                using var reader = new StreamReader(gzip);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (line.Length > 0)
                    {
                        yield return System.Text.Encoding.UTF8.GetBytes(line + "\n");
                    }
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }
}
