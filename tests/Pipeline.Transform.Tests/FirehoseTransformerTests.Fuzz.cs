using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>Hostile input, many records, one fixed seed, judged by an oracle that does not use the code under test.</summary>
public partial class FirehoseTransformerTests
{
    [Fact]
    public void Transform_HundredThousandHostileRecords_AnswersEachAsTheOracleExpects()
    {
        const int Seed = 20261121;
        var random = new Random(Seed);
        var generator = new HostileRecords(Seed);
        var log = new StringWriter { NewLine = "\n" };
        var transformer = TransformRun.Transformer(log);
        var (total, ok, batches) = (0, 0, 0);

        while (total < 100_000)
        {
            var records = Enumerable.Range(0, random.Next(1, 400)).Select(_ => generator.Next()).ToList();
            var input = Encoding.UTF8.GetBytes("{\"records\":[" + string.Join(",", records.Select(r => r.Json)) + "]}");

            var run = TransformRun.Of(transformer, log, input);

            Assert.Equal(records.Select(r => r.RecordId), run.Records.Select(r => r.RecordId));
            var rejections = run.Rejections.ToDictionary(r => r.GetProperty("recordIndex").GetInt32());
            for (var i = 0; i < records.Count; i++)
            {
                var (errors, expected) = Expect(records[i]);
                var actual = run.Records[i];
                var where = $"batch {batches}, record {i}: {records[i].DataJson[..Math.Min(300, records[i].DataJson.Length)]}";
                Assert.True(expected is not null == actual.IsOk, $"{where}: expected {string.Join(", ", errors)}, got {actual.Result}");
                if (actual.IsOk)
                {
                    ok++;
                    using var normalised = JsonDocument.Parse(actual.DecodedBytes);
                    Assert.Equal(expected!.Normalised, normalised.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())));
                    Assert.Equal(expected.Normalised.Single(f => f.Name == "event_time").Value[1..11], actual.PartitionKey);
                }
                else if (rejections.TryGetValue(i, out var rejection))
                {
                    var codes = TransformRun.Codes(rejection).Select(e => e.Code == "UnknownField" ? (null, e.Code) : e);
                    Assert.True(errors.SequenceEqual(codes), $"{where}: expected {string.Join(", ", errors)}, got {string.Join(", ", codes)}");
                }
                else
                {
                    Assert.Equal(FirehoseTransformer.MaxRejectionLogLines, run.Rejections.Count);
                }
            }

            total += records.Count;
            batches++;
        }

        Assert.InRange(ok, 15_000, 60_000);
    }

    /// <summary>The oracle: the envelope-level checks of the data, then <see cref="Expectation"/> for the record.</summary>
    private static (List<(string? Field, string Code)> Errors, Expectation? Ok) Expect(HostileRecord record)
    {
        using var data = JsonDocument.Parse("[" + record.DataJson + "]");
        var value = data.RootElement[0];
        if (record.DuplicateData || value.ValueKind != JsonValueKind.String)
        {
            return ([(null, record.DuplicateData ? "DuplicateData" : "DataNotString")], null);
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return ([(null, "InvalidBase64")], null);
        }

        var bytes = new byte[text.Length];
        if (text.Length == 0)
        {
            return ([(null, "EmptyData")], null);
        }

        if (!Convert.TryFromBase64String(text, bytes, out var length) || Convert.ToBase64String(bytes, 0, length) != text)
        {
            return ([(null, "InvalidBase64")], null);
        }

        if (length > 1_024_000)
        {
            return ([(null, "RecordTooLarge")], null);
        }

        var expected = Expectation.Of(bytes[..length], Telemetry.Now);
        return (expected.Errors, expected.IsValid ? expected : null);
    }
}
