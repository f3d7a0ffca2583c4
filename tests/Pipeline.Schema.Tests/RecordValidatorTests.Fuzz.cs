using System.Text;
using Pipeline.Schema;
using static Pipeline.Schema.Tests.TelemetryRecords;

namespace Pipeline.Schema.Tests;

public partial class RecordValidatorTests
{
    private static readonly byte[] Interesting = "{}[]\",:\\0123456789.eE+-truefalsnul \n\t"u8.ToArray();

    [Fact]
    public void Validate_ThousandsOfMutatedRecords_NeverThrowsAndExplainsEveryRejection()
    {
        // Deterministic: a fixed seed, mutations of a valid record (byte flips, truncations, insertions,
        // deletions, duplicated slices), applied one to three at a time.
        var random = new Random(20261121);
        var validator = new RecordValidator(TelemetrySchema.Definition);
        var seeds = new[]
        {
            Encoding.UTF8.GetBytes(Valid),
            Encoding.UTF8.GetBytes(With("site_id", "\"Z\\u00fcrich \\ud83c\\udfed \u00e9\u4e2d\"")),
            Encoding.UTF8.GetBytes(With("event_time", "\"2026-11-21T12:15:30.5\\u002B02:00\"")),
        };
        var valid = 0;
        var invalid = 0;

        for (var i = 0; i < 5000; i++)
        {
            var bytes = new List<byte>(seeds[i % seeds.Length]);
            var mutations = 1 + random.Next(3);
            for (var m = 0; m < mutations && bytes.Count > 0; m++)
            {
                Mutate(bytes, random);
            }

            var input = bytes.ToArray();
            RecordValidationResult result;
            try
            {
                result = validator.Validate(input, Now);
            }
            catch (Exception ex)
            {
                Assert.Fail($"Mutation {i} threw {ex.GetType().Name}: {ex.Message}\nInput (base64): {Convert.ToBase64String(input)}");
                throw;
            }

            if (result.IsValid)
            {
                valid++;
                Assert.NotNull(result.EventTime);
                Assert.NotNull(result.PartitionValue);
                foreach (var field in TelemetrySchema.Definition.Fields)
                {
                    Assert.True(!field.Required || result.GetValue(field.Name).HasValue, field.Name);
                }
            }
            else
            {
                invalid++;
                Assert.NotEmpty(result.Errors);
                Assert.InRange(result.Errors.Count, 1, RecordValidator.MaxErrorsPerRecord + 2);
                foreach (var error in result.Errors)
                {
                    Assert.False(string.IsNullOrWhiteSpace(error.Message), $"Mutation {i}: empty message for {error.Code}");
                    Assert.True(error.Message.Length < 600, $"Mutation {i}: long message {error.Message}");
                    Assert.DoesNotContain(error.Message, char.IsControl);
                    Assert.True(error.Field is null || error.Field.All(c => c is >= ' ' and <= '~'), error.Field);
                }
            }
        }

        // The mutations must exercise both outcomes for the test to mean anything.
        Assert.InRange(valid, 50, 4950);
        Assert.InRange(invalid, 50, 4950);
    }

    private static void Mutate(List<byte> bytes, Random random)
    {
        var at = random.Next(bytes.Count);
        switch (random.Next(6))
        {
            case 0: // flip one bit
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // replace with a random byte (often invalid UTF-8)
                bytes[at] = (byte)random.Next(256);
                break;
            case 2: // truncate
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 3: // insert a JSON-significant byte
                bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                break;
            case 4: // delete a slice
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                break;
            default: // duplicate a slice
                var length = Math.Min(bytes.Count - at, 1 + random.Next(16));
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                break;
        }
    }
}
