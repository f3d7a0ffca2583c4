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

        Int(ConfigurationKeys.DeliveryBufferIntervalSeconds, 60, 900, "a whole number of seconds from 60 to 900 (dynamic partitioning does not allow less than 60)",
            s => s.Delivery.BufferIntervalSeconds, (s, v) => s with { Delivery = s.Delivery with { BufferIntervalSeconds = v } }),
        Int(ConfigurationKeys.DeliveryBufferSizeMiB, 64, 128, "a whole number of MiB from 64 to 128 (Parquet conversion requires at least 64)",
            s => s.Delivery.BufferSizeMiB, (s, v) => s with { Delivery = s.Delivery with { BufferSizeMiB = v } }),
        Number(ConfigurationKeys.DeliveryTransformBufferSizeMiB, 0.2, 3, "a size in MiB from 0.2 to 3 (Firehose's limit for Lambda processors)",
            s => s.Delivery.TransformBufferSizeMiB, (s, v) => s with { Delivery = s.Delivery with { TransformBufferSizeMiB = v } }),
        Int(ConfigurationKeys.DeliveryTransformBufferIntervalSeconds, 0, 900, "a whole number of seconds from 0 to 900",
            s => s.Delivery.TransformBufferIntervalSeconds, (s, v) => s with { Delivery = s.Delivery with { TransformBufferIntervalSeconds = v } }),

        InstanceType(ConfigurationKeys.TrainingInstanceType,
            s => s.Training.InstanceType, (s, v) => s with { Training = s.Training with { InstanceType = v } }),
        Text(ConfigurationKeys.TrainingSchedule, "disabled, rate(<n> <unit>) with unit minute(s), hour(s) or day(s), or cron(<6 fields>) with ? in day-of-month or day-of-week",
            s => s.Training.Schedule, (s, v) => IsValidSchedule(v) ? s with { Training = s.Training with { Schedule = v } } : null),
        Int(ConfigurationKeys.TrainingMaxRuntimeMinutes, 10, 2880, "a whole number of minutes from 10 to 2880 (2 days)",
            s => s.Training.MaxRuntimeMinutes, (s, v) => s with { Training = s.Training with { MaxRuntimeMinutes = v } }),
        Bool(ConfigurationKeys.TrainingUseSpot,
            s => s.Training.UseSpot, (s, v) => s with { Training = s.Training with { UseSpot = v } }),
        Number(ConfigurationKeys.TrainingMinimumAuc, 0.5, 1, "a number from 0.5 (a coin toss) to 1",
            s => s.Training.MinimumAuc, (s, v) => s with { Training = s.Training with { MinimumAuc = v } }),

        InstanceType(ConfigurationKeys.EndpointInstanceType,
            s => s.Endpoint.InstanceType, (s, v) => s with { Endpoint = s.Endpoint with { InstanceType = v } }),
        Int(ConfigurationKeys.EndpointMinInstances, 1, 20, "a whole number from 1 to 20",
            s => s.Endpoint.MinInstances, (s, v) => s with { Endpoint = s.Endpoint with { MinInstances = v } }),
        Int(ConfigurationKeys.EndpointMaxInstances, 1, 20, "a whole number from 1 to 20",
            s => s.Endpoint.MaxInstances, (s, v) => s with { Endpoint = s.Endpoint with { MaxInstances = v } }),
        Number(ConfigurationKeys.EndpointMaxRpsPerInstance, 0.1, 10_000, "a number of requests per second from 0.1 to 10000",
            s => s.Endpoint.MaxRpsPerInstance, (s, v) => s with { Endpoint = s.Endpoint with { MaxRpsPerInstance = v } }),
        Int(ConfigurationKeys.EndpointDataCapturePercent, 0, 100, "a whole percentage from 0 to 100",
            s => s.Endpoint.DataCapturePercent, (s, v) => s with { Endpoint = s.Endpoint with { DataCapturePercent = v } }),

        Text(ConfigurationKeys.AlarmEmail, "an e-mail address such as ops@example.com, or an empty value for no subscription",
            s => s.Alarms.Email ?? "no subscription",
            (s, v) => v.Length == 0 ? s with { Alarms = s.Alarms with { Email = null } }
                : EmailPattern().IsMatch(v) ? s with { Alarms = s.Alarms with { Email = v } } : null),
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

    /// <summary>Checks an EventBridge schedule expression for the mistakes EventBridge would reject at deploy time.</summary>
    internal static bool IsValidSchedule(string value)
    {
        if (value == "disabled")
        {
            return true;
        }

        var rate = RatePattern().Match(value);
        if (rate.Success)
        {
            // EventBridge wants the singular unit for 1 and the plural otherwise.
            var n = long.Parse(rate.Groups["n"].Value, CultureInfo.InvariantCulture);
            var plural = rate.Groups["unit"].Value.EndsWith('s');
            return n >= 1 && plural == (n != 1);
        }

        var cron = CronPattern().Match(value);
        if (cron.Success)
        {
            var fields = cron.Groups["fields"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // minutes hours day-of-month month day-of-week year; one of the two day fields must be '?'.
            return fields.Length == 6 && (fields[2] == "?" ^ fields[4] == "?");
        }

        return false;
    }

    private static SettingDefinition Int(string key, int min, int max, string allowed,
        Func<PipelineSettings, int> current, Func<PipelineSettings, int, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                return (null, "is not a whole number.");
            }

            return v < min || v > max ? (null, "is out of range.") : (apply(s, v), null);
        });

    private static SettingDefinition OneOf(string key, int[] values, string allowed,
        Func<PipelineSettings, int> current, Func<PipelineSettings, int, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                return (null, "is not a whole number.");
            }

            return Array.IndexOf(values, v) < 0 ? (null, "is not an accepted value.") : (apply(s, v), null);
        });

    private static SettingDefinition Number(string key, double min, double max, string allowed,
        Func<PipelineSettings, double> current, Func<PipelineSettings, double, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                return (null, "is not a number.");
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

    private static SettingDefinition InstanceType(string key,
        Func<PipelineSettings, string> current, Func<PipelineSettings, string, PipelineSettings> apply) =>
        new(key, "a current-generation SageMaker instance type such as ml.m5.large, ml.c6i.xlarge or ml.g5.2xlarge", current, (s, raw) =>
        {
            var match = InstanceTypePattern().Match(raw);
            if (!match.Success)
            {
                return (null, "is not a SageMaker instance type (ml.<family>.<size>).");
            }

            var family = match.Groups["family"].Value;
            return Array.IndexOf(RetiredFamilies, family) >= 0
                ? (null, $"uses the retired or previous-generation family {family}.")
                : (apply(s, raw), null);
        });

    [GeneratedRegex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^ml\.(?<family>[a-z]+[0-9]+[a-z0-9-]*)\.(?<size>medium|large|xlarge|[0-9]+xlarge)$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex(@"^rate\((?<n>[0-9]{1,6}) (?<unit>minutes?|hours?|days?)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"^cron\((?<fields>[^()]+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex CronPattern();
}
