using System.Globalization;
using System.Text;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests.Support;

/// <summary>One generated record: its JSON object text in the event, its id, and its data as JSON text.</summary>
internal sealed record HostileRecord(string Json, string RecordId, string DataJson, bool DuplicateData);

/// <summary>
/// Generates hostile Firehose records, deterministically for a seed: valid readings, mutations of them, random
/// bytes, broken base64, huge and deep JSON, nulls, duplicate keys, surrogates, byte-order marks, odd numbers and
/// timestamps, data that is not a string, duplicate data, escaped data and record ids.
/// </summary>
internal sealed class HostileRecords(int seed)
{
    private static readonly byte[] Interesting = "{}[]\",:\\0123456789.eE+-truefalsnul \n\t\u00e9"u8.ToArray();

    private static readonly string[] Fields =
    [
        "device_id", "event_time", "site_id", "product_quality", "air_temperature_k", "process_temperature_k",
        "rotational_speed_rpm", "torque_nm", "tool_wear_min", "vibration_mm_s", "machine_failure",
    ];

    private static readonly string[] OddValues =
    [
        "null", "true", "0", "-0", "1e308", "1e309", "-1e-400", "123456789012345678901234567890", "1E+2", "0.1e1",
        "\"\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud83c\\udfed\"", "[]", "{}", "[[[]]]", "\"\\u0000\"",
        "\"2026-11-21T10:15:30Z\"", "\"2026-11-21T10:15:30\"", "\"2026-13-01T00:00:00Z\"", "\"9999-12-31T23:59:59+14:00\"",
        "\"0001-01-01T00:00:00-14:00\"", "\"2026-11-21T12:15:00.0000001Z\"", "\"L\"", "\"M\"", "\"press 07\"", "4.9e-324",
        "\"2026-11-21T10:15Z\"", "\"2026-11-21T11:15:30.123456789+01:00\"", "\"2026-11-21T10:15:30+0100\"", "108.0", "1.08e2",
    ];

    private static readonly string[] Whitespace = [" ", "\\n", "\\r\\n", "\\t"];

    private static readonly string[] OtherJson = ["[]", "\"str\"", "123", "null", "true", "{", "}", string.Empty, " "];

    private static readonly string[] NotStrings = ["null", "123", "{}", "[\"e30=\"]", "true", "\"\""];

    private readonly Random _random = new(seed);
    private int _next;

    public HostileRecord Next()
    {
        var index = _next++;
        var id = RecordId(index);
        var duplicate = _random.Next(60) == 0;
        var data = Data();
        var json = new StringBuilder("{");
        json.Append(CultureInfo.InvariantCulture, $"\"recordId\":{id.Json},\"approximateArrivalTimestamp\":{1795262130123L + index},");
        if (_random.Next(30) == 0)
        {
            json.Append("\"unknownEnvelopeField\":{\"data\":\"x\"},");
        }

        json.Append("\"data\":").Append(data);
        if (duplicate)
        {
            json.Append(",\"data\":\"e30=\"");
        }

        if (_random.Next(10) != 0)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"kinesisRecordMetadata\":{{\"sequenceNumber\":\"{49546986683135544L + index}\",\"subsequenceNumber\":0,\"partitionKey\":\"k{index % 97}\",\"shardId\":\"shardId-00000000000{index % 4}\",\"approximateArrivalTimestamp\":1795262130123}}");
        }

        json.Append('}');
        return new HostileRecord(json.ToString(), id.Value, data, duplicate);
    }

    private (string Json, string Value) RecordId(int index)
    {
        var plain = "49546986683135544286507457936321625675700192471" + index.ToString("D9", CultureInfo.InvariantCulture);
        return _random.Next(20) switch
        {
            0 => ($"\"id-\\u00e9\\/{index}\"", $"id-\u00e9/{index}"),
            1 => ($"\"\u6771-{index}\"", $"\u6771-{index}"),
            _ => ($"\"{plain}\"", plain),
        };
    }

    /// <summary>The data value as JSON text.</summary>
    private string Data()
    {
        switch (_random.Next(24))
        {
            case 0:
            case 1:
            case 2:
            case 3:
            case 4:
                return Quote(Base64(Valid()));
            case 5:
            case 6:
            case 7:
                return Quote(Base64(Mutate(Valid())));
            case 8:
                return Quote(Base64(RandomBytes(_random.Next(0, 300))));
            case 9:
                return Quote(Base64(Huge()));
            case 10:
                return Quote(Base64(Deep()));
            case 11:
                return Quote(Base64(WithFieldValue(Fields[_random.Next(Fields.Length)], "null")));
            case 12:
                return Quote(Base64(DuplicateKey()));
            case 13:
                return Quote(Base64(Surrogates()));
            case 14:
                return Quote(Base64([0xEF, 0xBB, 0xBF, .. Valid()]));
            case 15:
                return Quote(Base64(WithFieldValue(Fields[_random.Next(Fields.Length)], OddValues[_random.Next(OddValues.Length)])));
            case 16:
                return Quote(Base64(Encoding.UTF8.GetBytes(OtherJson[_random.Next(OtherJson.Length)])));
            case 17:
            case 18:
                return Quote(BreakBase64(Base64(Valid())));
            case 19:
                return NotStrings[_random.Next(NotStrings.Length)];
            case 20:
                return Quote(Escape(Base64(Valid())));
            case 21:
                return Quote(Base64(WithFieldValue("site_id", UnicodeString())));
            case 22:
                return Quote(Base64(Reordered()));
            default:
                return Quote(Base64(Encoding.UTF8.GetBytes(Telemetry.Valid[..^1] + ",\"extra\":1}")));
        }
    }

    private byte[] Valid() => Encoding.UTF8.GetBytes(RealisticTelemetry.Reading(_random));

    private byte[] WithFieldValue(string field, string rawValue)
    {
        var text = RealisticTelemetry.Reading(_random);
        var start = text.IndexOf($"\"{field}\":", StringComparison.Ordinal);
        if (start < 0)
        {
            return Encoding.UTF8.GetBytes(text[..^1] + $",\"{field}\":{rawValue}}}");
        }

        var valueStart = start + field.Length + 3;
        var valueEnd = text.IndexOf(",\"", valueStart, StringComparison.Ordinal);
        valueEnd = valueEnd < 0 ? text.Length - 1 : valueEnd;
        return Encoding.UTF8.GetBytes(text[..valueStart] + rawValue + text[valueEnd..]);
    }

    private byte[] Reordered()
    {
        var text = RealisticTelemetry.Reading(_random);
        var members = text[1..^1].Split(",\"").Select((m, i) => i == 0 ? m : "\"" + m).OrderBy(_ => _random.Next()).ToArray();
        return Encoding.UTF8.GetBytes("{ " + string.Join(" ,\n", members) + " }\r\n");
    }

    private byte[] Huge()
    {
        if (_random.Next(40) == 0)
        {
            return WithFieldValue("site_id", "\"" + new string('h', _random.Next(10_000, 60_000)) + "\"");
        }

        return _random.Next(2) == 0
            ? WithFieldValue("site_id", "\"" + new string('s', _random.Next(60, 70)) + "\"")
            : Encoding.UTF8.GetBytes(RealisticTelemetry.Reading(_random)[..^1] + new string(' ', _random.Next(1000, 5000)) + "}");
    }

    private byte[] Deep()
    {
        var depth = _random.Next(1, 200);
        return WithFieldValue(Fields[_random.Next(Fields.Length)], new string('[', depth) + new string(']', depth));
    }

    private byte[] DuplicateKey()
    {
        var field = Fields[_random.Next(Fields.Length)];
        var text = RealisticTelemetry.Reading(_random);
        return Encoding.UTF8.GetBytes(text[..^1] + $",\"{field}\":" + (field is "device_id" or "site_id" ? "\"x\"" : "1") + "}");
    }

    private byte[] Surrogates() => _random.Next(4) switch
    {
        0 => WithFieldValue("site_id", "\"a\\ud800\""),
        1 => WithFieldValue("site_id", "\"\\ud83c\\udfed\\u00e9\""),
        2 => [.. WithFieldValue("site_id", "\"x?y\"").Select(b => b == (byte)'?' ? (byte)0xED : b).SelectMany(b => b == 0xED ? new byte[] { 0xED, 0xA0, 0x80 } : [b])],
        _ => WithFieldValue("device_id", "\"\\udfff\""),
    };

    private string UnicodeString()
    {
        var builder = new StringBuilder("\"");
        var length = _random.Next(0, 70);
        for (var i = 0; i < length; i++)
        {
            builder.Append(_random.Next(8) switch
            {
                0 => "\\u" + _random.Next(0, 0x20).ToString("x4", CultureInfo.InvariantCulture),
                1 => "\\\"",
                2 => "\\\\",
                3 => "\U0001F3ED",
                4 => "\u00e9",
                5 => "\u2028",
                6 => "\\u" + _random.Next(0x80, 0xD800).ToString("X4", CultureInfo.InvariantCulture),
                _ => ((char)_random.Next(0x20, 0x7F)) is var c && c is '"' or '\\' ? "_" : c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var mutations = 1 + _random.Next(3);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.Insert(at, Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes[at] = Interesting[_random.Next(Interesting.Length)];
                    break;
                default:
                    var length = Math.Min(_random.Next(1, 20), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string BreakBase64(string text) => _random.Next(8) switch
    {
        0 => text.Insert(_random.Next(text.Length), Whitespace[_random.Next(Whitespace.Length)]),
        1 => text.Replace('+', '-').Replace('/', '_') + (text.Contains('+') || text.Contains('/') ? string.Empty : "-"),
        2 => text.TrimEnd('=') is var t && t.Length != text.Length ? t : text + "=",
        3 => text + "==",
        4 => text[..^1] + (char)('A' + _random.Next(26)),
        5 => text.Insert(_random.Next(text.Length), "="),
        6 => text[.._random.Next(text.Length)],
        _ => text.Insert(_random.Next(text.Length), ((char)_random.Next(0x21, 0x7F)).ToString()).Replace("\"", "'").Replace("\\", "|"),
    };

    private string Escape(string base64)
    {
        var builder = new StringBuilder();
        foreach (var c in base64)
        {
            builder.Append(_random.Next(10) == 0 ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c == '/' ? "\\/" : c.ToString());
        }

        return builder.ToString();
    }

    private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static string Quote(string text) => "\"" + text + "\"";
}
