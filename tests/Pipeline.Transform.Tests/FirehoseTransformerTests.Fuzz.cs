using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Schema;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>Hostile input, many records, one fixed seed.</summary>
public partial class FirehoseTransformerTests
{
    private static readonly HashSet<string> KnownCodes =
        [.. Enum.GetNames<RecordErrorCode>(), .. Enum.GetNames<TransformErrorCode>()];

    [Fact]
    public void Transform_OverHundredThousandHostileRecords_AnswersEachOnceAndExplainsEveryRejection()
    {
        const int Seed = 20261121;
        var random = new Random(Seed);
        var generator = new HostileRecords(Seed);
        var validator = new RecordValidator(TelemetrySchema.Definition);
        var log = new StringWriter { NewLine = "\n" };
        var transformer = TransformRun.Transformer(log, new FirehoseTransformerOptions { MaxRejectionLogLines = int.MaxValue });
        var (total, ok, failed, batches) = (0, 0, 0, 0);

        while (total < 100_000)
        {
            var records = Enumerable.Range(0, random.Next(1, 1800)).Select(_ => generator.Next()).ToList();
            var input = Encoding.UTF8.GetBytes(
                "{\"invocationId\":\"fuzz-" + batches + "\",\"deliveryStreamArn\":\"" + FirehoseEvents.DeliveryStreamArn +
                "\",\"records\":[" + string.Join(",", records.Select(r => r.Json)) + "]}");

            TransformRun run;
            try
            {
                run = TransformRun.Of(transformer, log, input);
            }
            catch (Exception ex)
            {
                Assert.Fail($"Batch {batches} (seed {Seed}) threw {ex.GetType().Name}: {ex.Message}");
                throw;
            }

            // Every record exactly once, in order.
            Assert.Equal(records.Select(r => r.RecordId), run.Records.Select(r => r.RecordId));
            var rejections = run.Rejections.ToDictionary(r => r.GetProperty("recordIndex").GetInt32());
            for (var i = 0; i < records.Count; i++)
            {
                var expected = ExpectedRecord(records[i], validator);
                var actual = run.Records[i];
                if (expected is null == actual.IsOk)
                {
                    Assert.Fail($"{Where(batches, i, records[i])}: expected {(expected is null ? "a rejection" : "Ok")}, got {actual.Result}");
                }

                if (actual.IsOk)
                {
                    ok++;
                    Assert.False(rejections.ContainsKey(i));
                    Normalisation.AssertSameRecord(expected!, actual.Decoded);
                    Assert.Equal(expected!.PartitionValue, actual.PartitionKey);
                }
                else
                {
                    failed++;
                    if (!rejections.TryGetValue(i, out var rejection))
                    {
                        Assert.Fail($"{Where(batches, i, records[i])}: no rejection line");
                    }

                    var errors = TransformRun.Errors(rejection);
                    Assert.NotEmpty(errors);
                    foreach (var (_, code, message) in errors)
                    {
                        Assert.False(string.IsNullOrWhiteSpace(message));
                        Assert.Contains(code, KnownCodes);
                    }

                    var hash = rejection.GetProperty("rawSha256").GetString()!;
                    Assert.True(hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower), hash);
                }
            }

            Assert.Equal((records.Count, records.Count - run.Summary.Ok), (run.Summary.Records, run.Summary.Failed));
            total += records.Count;
            batches++;
        }

        Assert.InRange(total, 100_000, 102_000);
        Assert.InRange(ok, 15_000, 60_000);
        Assert.InRange(failed, 40_000, 85_000);
    }

    private static string Where(int batch, int index, HostileRecord record) =>
        $"batch {batch}, record {index}: {record.DataJson[..Math.Min(200, record.DataJson.Length)]}";

    /// <summary>
    /// The oracle, independent of the transformer: a record is Ok exactly when its data is one string in canonical
    /// base64 of 1 to 1,024,000 bytes without a byte-order mark, and the validator accepts the bytes.
    /// </summary>
    private static RecordValidationResult? ExpectedRecord(HostileRecord record, RecordValidator validator)
    {
        if (record.DuplicateData)
        {
            return null;
        }

        string text;
        if (record.DataJson.Length >= 2 && record.DataJson[0] == '"' && !record.DataJson.Contains('\\', StringComparison.Ordinal))
        {
            text = record.DataJson[1..^1];
        }
        else
        {
            using var document = JsonDocument.Parse("[" + record.DataJson + "]");
            var data = document.RootElement[0];
            if (data.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            try
            {
                text = data.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        var buffer = new byte[text.Length];
        if (text.Length == 0 || !Convert.TryFromBase64String(text, buffer, out var length)
            || Convert.ToBase64String(buffer, 0, length) != text || length > 1_024_000)
        {
            return null;
        }

        var bytes = buffer.AsSpan(0, length);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return null;
        }

        var result = validator.Validate(bytes, Telemetry.Now);
        return result.IsValid ? result : null;
    }
}
