using System.Text;
using System.Text.Json;
using Pipeline.Core.Ingestion;
using Pipeline.Core.Schema;
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
                var where = $"batch {batches}, record {i}: {records[i].DataJson[..Math.Min(200, records[i].DataJson.Length)]}";
                var expected = ExpectedRecord(records[i], validator);
                var actual = run.Records[i];
                Assert.True(expected is null == !actual.IsOk, $"{where}: expected {(expected is null ? "a rejection" : "Ok")}, got {actual.Result}");
                if (actual.IsOk)
                {
                    ok++;
                    Assert.False(rejections.ContainsKey(i), where);
                    Normalisation.AssertSameRecord(expected!, actual.Decoded);
                    Assert.Equal(expected!.PartitionValue, actual.PartitionKey);
                }
                else
                {
                    failed++;
                    Assert.True(rejections.TryGetValue(i, out var rejection), $"{where}: no rejection line");
                    var errors = TransformRun.Errors(rejection);
                    Assert.NotEmpty(errors);
                    Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message), where));
                    Assert.All(errors, e => Assert.Contains(e.Code, KnownCodes));
                    Assert.Matches("^[0-9a-f]{64}$", rejection.GetProperty("rawSha256").GetString());
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

        using var document = JsonDocument.Parse("[" + record.DataJson + "]");
        var data = document.RootElement[0];
        if (data.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string text;
        try
        {
            text = data.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return null;
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
