using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Core.Configuration;

/// <summary>How one context key is parsed and applied to the settings.</summary>
internal sealed record SettingDefinition(
    string Key,
    string Allowed,
    Func<PipelineSettings, string> Current,
    Func<PipelineSettings, string, (PipelineSettings? Result, string? Problem)> Apply);

/// <summary>The table of every configurable key: its parser, its allowed values and how it changes the settings.</summary>
internal static partial class SettingDefinitions
{
    /// <summary>CloudWatch Logs retention values that are at least one year (Control Tower CT.CLOUDWATCH.PR.2).</summary>
    internal static readonly int[] LogRetentionDays = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>Instance families SageMaker has retired or that are previous generation.</summary>
    private static readonly string[] RetiredFamilies = ["m4", "c4", "p2", "t2", "r4", "eia1", "eia2"];

    /// <summary>
    /// Current-generation families SageMaker offers for training jobs: the families of the TrainingInstanceType values
    /// of ResourceConfig (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html and the
    /// SageMaker API model in botocore, which added p6-b200 in 2025), without the retired families above. A family
    /// missing here fails synth listing these; add it when SageMaker adds one.
    /// </summary>
    internal static readonly string[] TrainingFamilies =
    [
        "c5", "c5n", "c6i", "g4dn", "g5", "g6", "g6e", "m5", "m6i", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en",
        "p6-b200", "r5", "r5d", "t3", "trn1", "trn1n",
    ];

    internal static IReadOnlyList<SettingDefinition> All { get; } =
    [
        Text(ConfigurationKeys.Prefix, "3 to 20 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (e.g. mlpipe)",
            s => s.Prefix, (s, v) => PrefixPattern().IsMatch(v) && !v.Contains("--", StringComparison.Ordinal) ? s with { Prefix = v } : null),

        Int(ConfigurationKeys.AzCount, 1, 3, "a whole number from 1 to 3",
            s => s.Network.AzCount, (s, v) => s with { Network = s.Network with { AzCount = v } }),
        Bool(ConfigurationKeys.ClientEndpoints,
            s => s.Network.ClientEndpoints, (s, v) => s with { Network = s.Network with { ClientEndpoints = v } }),

        Choice(ConfigurationKeys.StreamMode, new Dictionary<string, StreamCapacityMode>(StringComparer.OrdinalIgnoreCase)
            {
                ["onDemand"] = StreamCapacityMode.OnDemand,
                ["provisioned"] = StreamCapacityMode.Provisioned,
            },
            s => s.Stream.Mode == StreamCapacityMode.OnDemand ? "onDemand" : "provisioned",
            (s, v) => s with { Stream = s.Stream with { Mode = v } }),
        Int(ConfigurationKeys.StreamRetentionHours, 24, 8760, "a whole number of hours from 24 to 8760 (365 days)",
            s => s.Stream.RetentionHours, (s, v) => s with { Stream = s.Stream with { RetentionHours = v } }),
        Number(ConfigurationKeys.StreamRecordsPerSecond, 0, 1_000_000, "a number of records per second from 0 to 1000000",
            s => s.Stream.RecordsPerSecond, (s, v) => s with { Stream = s.Stream with { RecordsPerSecond = v } }),
        Number(ConfigurationKeys.StreamAverageRecordSizeKiB, 0.001, 1000, "a size in KiB from 0.001 to 1000 (Firehose's record limit is 1,000 KiB)",
            s => s.Stream.AverageRecordSizeKiB, (s, v) => s with { Stream = s.Stream with { AverageRecordSizeKiB = v } }),
        Int(ConfigurationKeys.StreamConsumers, 1, 20, "a whole number of consumers from 1 to 20",
            s => s.Stream.Consumers, (s, v) => s with { Stream = s.Stream with { Consumers = v } }),
        Number(ConfigurationKeys.StreamHeadroomFactor, Sizing.ShardSizing.MinHeadroomFactor, Sizing.ShardSizing.MaxHeadroomFactor,
            "a factor from 1 (no headroom) to 4 multiplying the computed shard count before rounding up (1.25 keeps the peak at 80 % of the shard limits)",
            s => s.Stream.HeadroomFactor, (s, v) => s with { Stream = s.Stream with { HeadroomFactor = v } }),
        Int(ConfigurationKeys.StreamShardQuota, 1, 1_000_000,
            "a whole number of shards from 1 to 1000000: the account's Kinesis Data Streams shard quota in the target Region (Service Quotas console)",
            s => s.Stream.ShardQuota, (s, v) => s with { Stream = s.Stream with { ShardQuota = v } }),

        Int(ConfigurationKeys.DeliveryBufferIntervalSeconds, 60, 900, "a whole number of seconds from 60 to 900 (dynamic partitioning does not allow less than 60)",
            s => s.Delivery.BufferIntervalSeconds, (s, v) => s with { Delivery = s.Delivery with { BufferIntervalSeconds = v } }),
        Int(ConfigurationKeys.DeliveryBufferSizeMiB, 64, 128, "a whole number of MiB from 64 to 128 (Parquet conversion requires at least 64)",
            s => s.Delivery.BufferSizeMiB, (s, v) => s with { Delivery = s.Delivery with { BufferSizeMiB = v } }),
        Number(ConfigurationKeys.DeliveryTransformBufferSizeMiB, 0.2, 3, "a size in MiB from 0.2 to 3 (Firehose's limit for Lambda processors)",
            s => s.Delivery.TransformBufferSizeMiB, (s, v) => s with { Delivery = s.Delivery with { TransformBufferSizeMiB = v } }),
        Int(ConfigurationKeys.DeliveryTransformBufferIntervalSeconds, 0, 900, "a whole number of seconds from 0 to 900",
            s => s.Delivery.TransformBufferIntervalSeconds, (s, v) => s with { Delivery = s.Delivery with { TransformBufferIntervalSeconds = v } }),

        InstanceType(ConfigurationKeys.TrainingInstanceType,
            "a SageMaker training instance type ml.<family>.<size> of a current family: " + string.Join(", ", TrainingFamilies),
            TrainingFamilies,
            s => s.Training.InstanceType, (s, v) => s with { Training = s.Training with { InstanceType = v } }),
        new(ConfigurationKeys.TrainingSchedule,
            "disabled, rate(<n> <unit>) with n >= 1 and unit minute, hour or day (plural when n > 1), or cron(minutes hours day-of-month month day-of-week year) with minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199, and ? in exactly one of day-of-month and day-of-week",
            s => s.Training.Schedule,
            (s, raw) => ScheduleExpression.Problem(raw) is { } problem
                ? (null, problem)
                : (s with { Training = s.Training with { Schedule = raw } }, null)),
        Int(ConfigurationKeys.TrainingMaxRuntimeMinutes, 10, 2880, "a whole number of minutes from 10 to 2880 (2 days)",
            s => s.Training.MaxRuntimeMinutes, (s, v) => s with { Training = s.Training with { MaxRuntimeMinutes = v } }),
        Bool(ConfigurationKeys.TrainingUseSpot,
            s => s.Training.UseSpot, (s, v) => s with { Training = s.Training with { UseSpot = v } }),
        Number(ConfigurationKeys.TrainingMinimumAuc, 0.5, 1, "a number from 0.5 (a coin toss) to 1",
            s => s.Training.MinimumAuc, (s, v) => s with { Training = s.Training with { MinimumAuc = v } }),

        InstanceType(ConfigurationKeys.EndpointInstanceType,
            "a current-generation SageMaker instance type such as ml.m5.large, ml.c6i.xlarge or ml.g5.2xlarge", families: null,
            s => s.Endpoint.InstanceType, (s, v) => s with { Endpoint = s.Endpoint with { InstanceType = v } }),
        Int(ConfigurationKeys.EndpointMinInstances, 1, 20, "a whole number from 1 to 20",
            s => s.Endpoint.MinInstances, (s, v) => s with { Endpoint = s.Endpoint with { MinInstances = v } }),
        Int(ConfigurationKeys.EndpointMaxInstances, 1, 20, "a whole number from 1 to 20",
            s => s.Endpoint.MaxInstances, (s, v) => s with { Endpoint = s.Endpoint with { MaxInstances = v } }),
        Number(ConfigurationKeys.EndpointMaxRpsPerInstance, 0.1, 10_000, "a number of requests per second from 0.1 to 10000",
            s => s.Endpoint.MaxRpsPerInstance, (s, v) => s with { Endpoint = s.Endpoint with { MaxRpsPerInstance = v } }),
        Int(ConfigurationKeys.EndpointDataCapturePercent, 0, 100, "a whole percentage from 0 to 100",
            s => s.Endpoint.DataCapturePercent, (s, v) => s with { Endpoint = s.Endpoint with { DataCapturePercent = v } }),

        Text(ConfigurationKeys.AlarmEmail, "an e-mail address such as ops@example.com (at most 254 characters; no leading, trailing or consecutive dots; domain labels of letters, digits and inner hyphens), or an empty value for no subscription",
            s => s.Alarms.Email ?? "no subscription",
            (s, v) => v.Length == 0 ? s with { Alarms = s.Alarms with { Email = null } }
                : IsValidEmail(v) ? s with { Alarms = s.Alarms with { Email = v } } : null),
        Int(ConfigurationKeys.AlarmIteratorAgeMinutes, 1, 262_800, "a whole number of minutes, at most half the stream retention",
            s => s.Alarms.IteratorAgeMinutes, (s, v) => s with { Alarms = s.Alarms with { IteratorAgeMinutes = v } }),
        Int(ConfigurationKeys.AlarmEndpointLatencyP99Ms, 1, 60_000, "a whole number of milliseconds from 1 to 60000",
            s => s.Alarms.EndpointLatencyP99Ms, (s, v) => s with { Alarms = s.Alarms with { EndpointLatencyP99Ms = v } }),

        OneOf(ConfigurationKeys.RetentionLogDays, LogRetentionDays,
            "one of the CloudWatch Logs retention values of at least a year (Control Tower CT.CLOUDWATCH.PR.2): " + string.Join(", ", LogRetentionDays),
            s => s.Retention.LogDays, (s, v) => s with { Retention = s.Retention with { LogDays = v } }),
        Int(ConfigurationKeys.RetentionRawDataDays, 1, 3650, "a whole number of days from 1 to 3650",
            s => s.Retention.RawDataDays, (s, v) => s with { Retention = s.Retention with { RawDataDays = v } }),
        Int(ConfigurationKeys.RetentionErrorDataDays, 1, 3650, "a whole number of days from 1 to 3650",
            s => s.Retention.ErrorDataDays, (s, v) => s with { Retention = s.Retention with { ErrorDataDays = v } }),
        Int(ConfigurationKeys.RetentionNoncurrentVersionDays, 1, 365, "a whole number of days from 1 to 365",
            s => s.Retention.NoncurrentVersionDays, (s, v) => s with { Retention = s.Retention with { NoncurrentVersionDays = v } }),

        Bool(ConfigurationKeys.CatalogManageEncryption,
            s => s.Catalog.ManageCatalogEncryption, (s, v) => s with { Catalog = s.Catalog with { ManageCatalogEncryption = v } }),
        Int(ConfigurationKeys.CatalogBytesScannedCutoffMiB, 10, 2047, "a whole number of MiB from 10 (Athena's minimum) to 2047 (CloudFormation takes the cutoff as a 32-bit integer of bytes)",
            s => s.Catalog.BytesScannedCutoffMiB, (s, v) => s with { Catalog = s.Catalog with { BytesScannedCutoffMiB = v } }),
    ];

    /// <summary>
    /// A deliberately plain address check (RFC 5321 lengths, dot-atom local part, hostname labels): enough to catch
    /// typos such as <c>a@b..c</c> before SNS rejects the subscription at deploy time.
    /// </summary>
    internal static bool IsValidEmail(string value)
    {
        var at = value.LastIndexOf('@');
        return value.Length <= 254 && at is > 0 and <= 64 && EmailLocalPattern().IsMatch(value[..at])
            && EmailDomainPattern().IsMatch(value[(at + 1)..]);
    }

    private static SettingDefinition Int(string key, int min, int max, string allowed,
        Func<PipelineSettings, int> current, Func<PipelineSettings, int, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                return (null, NotAWholeNumber(raw));
            }

            return v < min || v > max ? (null, "is out of range.") : (apply(s, v), null);
        });

    private static SettingDefinition OneOf(string key, int[] values, string allowed,
        Func<PipelineSettings, int> current, Func<PipelineSettings, int, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                return (null, NotAWholeNumber(raw));
            }

            return Array.IndexOf(values, v) < 0 ? (null, "is not an accepted value.") : (apply(s, v), null);
        });

    private static SettingDefinition Number(string key, double min, double max, string allowed,
        Func<PipelineSettings, double> current, Func<PipelineSettings, double, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                // .NET parses an overlong number such as 1e400 as infinity: say it is too large, not that it is no number.
                return (null, double.IsInfinity(v) && raw.Any(char.IsAsciiDigit)
                    ? "is too large for a number (beyond ±1.7976931348623157E+308)."
                    : "is not a number.");
            }

            return v < min || v > max ? (null, "is out of range.") : (apply(s, v), null);
        });

    private static SettingDefinition Bool(string key,
        Func<PipelineSettings, bool> current, Func<PipelineSettings, bool, PipelineSettings> apply) =>
        new(key, "true or false", s => current(s) ? "true" : "false", (s, raw) =>
            bool.TryParse(raw, out var v) ? (apply(s, v), null) : (null, "is not a boolean."));

    private static SettingDefinition Choice<T>(string key, Dictionary<string, T> choices,
        Func<PipelineSettings, string> current, Func<PipelineSettings, T, PipelineSettings> apply) =>
        new(key, string.Join(", ", choices.Keys), current, (s, raw) =>
            choices.TryGetValue(raw, out var v) ? (apply(s, v), null) : (null, "is not a known value."));

    private static SettingDefinition Text(string key, string allowed,
        Func<PipelineSettings, string> current, Func<PipelineSettings, string, PipelineSettings?> apply) =>
        new(key, allowed, current, (s, raw) =>
        {
            var result = apply(s, raw);
            return result is null ? (null, "is not in the accepted form.") : (result, null);
        });

    /// <summary>An instance-type key; with <paramref name="families"/>, only those families are accepted.</summary>
    private static SettingDefinition InstanceType(string key, string allowed, string[]? families,
        Func<PipelineSettings, string> current, Func<PipelineSettings, string, PipelineSettings> apply) =>
        new(key, allowed, current, (s, raw) =>
        {
            var match = InstanceTypePattern().Match(raw);
            if (!match.Success)
            {
                return (null, "is not a SageMaker instance type (ml.<family>.<size>).");
            }

            var family = match.Groups["family"].Value;
            return Array.IndexOf(RetiredFamilies, family) >= 0
                ? (null, $"uses the retired or previous-generation family {family}.")
                : families is not null && Array.IndexOf(families, family) < 0
                    ? (null, $"uses the instance family {family}, which SageMaker does not offer for training.")
                    : (apply(s, raw), null);
        });

    /// <summary>Why a value is not an <see cref="int"/>: a whole number beyond its range says so.</summary>
    private static string NotAWholeNumber(string raw)
    {
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v) && raw.Any(char.IsAsciiDigit))
        {
            if (v > int.MaxValue)
            {
                return $"is too large for a whole number (at most {int.MaxValue.ToString(CultureInfo.InvariantCulture)}).";
            }

            if (v < int.MinValue)
            {
                return $"is too small for a whole number (at least {int.MinValue.ToString(CultureInfo.InvariantCulture)}).";
            }
        }

        return "is not a whole number.";
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();

    // Dot-atom: atext runs separated by single dots, none at either end.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailLocalPattern();

    // Two or more labels of 1-63 letters, digits and inner hyphens; the top-level label is letters only.
    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailDomainPattern();

    [GeneratedRegex(@"^ml\.(?<family>[a-z]+[0-9]+[a-z0-9-]*)\.(?<size>medium|large|xlarge|[0-9]+xlarge)$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceTypePattern();

}
