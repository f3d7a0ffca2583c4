using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>
/// The bad-settings probe: settings that would synthesize and then fail at deploy or run time (or throw during synth)
/// unless validation refuses them. Each must be refused with one <see cref="ConfigurationError"/> of the expected kind
/// on the expected key, read the way the CLI hands context to the app (JSON values, CDK_CONTEXT_JSON), without a synth
/// per case.
/// </summary>
public sealed class BadSettingsProbeTests
{
    /// <summary>The kind of problem, the key (or keys) it is reported on, then the context as JSON (over the sandbox preset).</summary>
    public static TheoryData<ConfigurationErrorCode, string, string> BadSettings { get; } = new()
    {
        // 1. instance types
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.m5.8xlarge" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.c6i.large" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.m5d.large" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.g4dn.xlarge" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.p3.2xlarge" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.g5.2xlarge" }""" },
        { ConfigurationErrorCode.Malformed, "training.instanceType", """{ "training.instanceType": "ml.t3.nano" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.r5.medium" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.c5.large" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.instanceType", """{ "training.instanceType": "ml.m4.xlarge" }""" },
        { ConfigurationErrorCode.Malformed, "training.instanceType", """{ "training.instanceType": "ML.M5.XLARGE" }""" },
        { ConfigurationErrorCode.Malformed, "training.instanceType", """{ "training.instanceType": "m5.xlarge" }""" },
        { ConfigurationErrorCode.Malformed, "training.instanceType", """{ "training.instanceType": "" }""" },
        { ConfigurationErrorCode.Malformed, "training.instanceType", """{ "training.instanceType": "ml.m5.xlarge\u200b" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.m6id.large" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.c6id.xlarge" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.r5.8xlarge" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.m5.8xlarge" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.t3.medium" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.t2.medium" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.c5n.xlarge" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.m5.medium" }""" },
        { ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", """{ "endpoint.instanceType": "ml.g5.3xlarge" }""" },
        { ConfigurationErrorCode.Malformed, "endpoint.instanceType", """{ "endpoint.instanceType": 5 }""" },

        // 2. prefix
        { ConfigurationErrorCode.NotAllowed, "prefix", """{ "prefix": "sthree" }""" },
        { ConfigurationErrorCode.NotAllowed, "prefix", """{ "prefix": "sthree-lake" }""" },
        { ConfigurationErrorCode.NotAllowed, "prefix", """{ "prefix": "amzn-s3-demo" }""" },
        { ConfigurationErrorCode.NotAllowed, "prefix", """{ "prefix": "amzn-s3-demo-x" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "xn--abc" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "abcdefghijklmnopqrstu" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "ml" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "Mlpipe" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "ml_pipe" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "ml.pipe" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "mlpipe-" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "1mlpipe" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "mlpïpe" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": "" }""" },
        { ConfigurationErrorCode.Malformed, "prefix", """{ "prefix": 123 }""" },

        // 3. schedules
        { ConfigurationErrorCode.NotAllowed, "training.schedule", """{ "training.schedule": "cron(0 0 31 2 ? *)" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.schedule", """{ "training.schedule": "cron(0 0 30 FEB ? *)" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.schedule", """{ "training.schedule": "cron(0 0 31 4,6,9,11 ? *)" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.schedule", """{ "training.schedule": "cron(0 0 1 1 ? 2020)" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.schedule", """{ "training.schedule": "cron(0 0 29 2 ? 2027)" }""" },
        { ConfigurationErrorCode.NotAllowed, "training.schedule", """{ "training.schedule": "cron(0 0 ? 2 5#5 2026)" }""" },
        { ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", """{ "training.schedule": "rate(1 hour)" }""" },
        { ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", """{ "training.schedule": "rate(1 minute)" }""" },
        { ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", """{ "training.schedule": "rate(60 minutes)" }""" },
        { ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", """{ "training.schedule": "cron(0/30 * * * ? *)" }""" },
        { ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", """{ "training.schedule": "cron(0 * * * ? *)" }""" },
        { ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", """{ "training.schedule": "cron(0 0,1 * * ? *)" }""" },
        { ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", """{ "training.schedule": "rate(1 day)", "training.executionTimeoutMinutes": "2880" }""" },
        { ConfigurationErrorCode.Conflict, "drift.schedule", """{ "drift.schedule": "rate(30 minutes)" }""" },
        { ConfigurationErrorCode.Conflict, "drift.schedule", """{ "drift.schedule": "rate(1 minute)" }""" },
        { ConfigurationErrorCode.Conflict, "drift.schedule", """{ "drift.schedule": "cron(0/15 * * * ? *)" }""" },
        { ConfigurationErrorCode.NotAllowed, "drift.schedule", """{ "drift.schedule": "cron(0 0 31 2 ? *)" }""" },
        { ConfigurationErrorCode.NotAllowed, "drift.schedule", """{ "drift.schedule": "cron(0 0 1 1 ? 1999)" }""" },
        { ConfigurationErrorCode.Malformed, "drift.schedule", """{ "drift.schedule": "rate(0 hours)" }""" },
        { ConfigurationErrorCode.Malformed, "drift.schedule", """{ "drift.schedule": "rate(-1 hours)" }""" },
        { ConfigurationErrorCode.Malformed, "drift.schedule", """{ "drift.schedule": "rate(1.5 hours)" }""" },
        { ConfigurationErrorCode.Malformed, "drift.schedule", """{ "drift.schedule": "cron(0 0 * * * *)" }""" },
        { ConfigurationErrorCode.Malformed, "drift.schedule", """{ "drift.schedule": "Disabled" }""" },
        { ConfigurationErrorCode.Malformed, "drift.schedule", """{ "drift.schedule": "" }""" },

        // 4. numbers
        { ConfigurationErrorCode.Conflict, "endpoint.maxRpsPerInstance and endpoint.safetyFactor", """{ "endpoint.maxRpsPerInstance": "0.1", "endpoint.safetyFactor": "0.0001" }""" },
        { ConfigurationErrorCode.Conflict, "endpoint.maxRpsPerInstance and endpoint.safetyFactor", """{ "endpoint.safetyFactor": "1e-300" }""" },
        { ConfigurationErrorCode.Conflict, "endpoint.maxRpsPerInstance and endpoint.safetyFactor", """{ "endpoint.safetyFactor": "5e-324" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": 1e400 }""" },
        { ConfigurationErrorCode.NullValue, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": null }""" },
        { ConfigurationErrorCode.NullValue, "stream.recordsPerSecond", """{ "stream.recordsPerSecond": null }""" },
        { ConfigurationErrorCode.NullValue, "network.azCount", """{ "network.azCount": null }""" },
        { ConfigurationErrorCode.NullValue, "profile", """{ "profile": null }""" },
        { ConfigurationErrorCode.OutOfRange, "stream.retentionHours", """{ "stream.retentionHours": 1e400 }""" },
        { ConfigurationErrorCode.NotANumber, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": "NaN" }""" },
        { ConfigurationErrorCode.NotANumber, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": "Infinity" }""" },
        { ConfigurationErrorCode.NotANumber, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": "-Infinity" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": "0" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": "-0" }""" },
        { ConfigurationErrorCode.NotANumber, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": "0x1" }""" },
        { ConfigurationErrorCode.NotANumber, "endpoint.safetyFactor", """{ "endpoint.safetyFactor": "1,5" }""" },
        { ConfigurationErrorCode.NotANumber, "stream.retentionHours", """{ "stream.retentionHours": "0x18" }""" },
        { ConfigurationErrorCode.OutOfRange, "stream.retentionHours", """{ "stream.retentionHours": "23" }""" },
        { ConfigurationErrorCode.OutOfRange, "stream.retentionHours", """{ "stream.retentionHours": "8761" }""" },
        { ConfigurationErrorCode.NotANumber, "stream.retentionHours", """{ "stream.retentionHours": "24.5" }""" },
        { ConfigurationErrorCode.OutOfRange, "stream.retentionHours", """{ "stream.retentionHours": "2147483648" }""" },
        { ConfigurationErrorCode.NotANumber, "stream.retentionHours", """{ "stream.retentionHours": "٢٤" }""" },
        { ConfigurationErrorCode.NotANumber, "stream.retentionHours", """{ "stream.retentionHours": "" }""" },
        { ConfigurationErrorCode.NotANumber, "stream.retentionHours", """{ "stream.retentionHours": "   " }""" },
        { ConfigurationErrorCode.NotANumber, "stream.retentionHours", """{ "stream.retentionHours": true }""" },
        { ConfigurationErrorCode.NotANumber, "stream.retentionHours", """{ "stream.retentionHours": [24] }""" },
        { ConfigurationErrorCode.OutOfRange, "stream.recordsPerSecond", """{ "stream.recordsPerSecond": "-1" }""" },
        { ConfigurationErrorCode.OutOfRange, "stream.averageRecordSizeKiB", """{ "stream.averageRecordSizeKiB": "0" }""" },
        { ConfigurationErrorCode.OutOfRange, "stream.headroomFactor", """{ "stream.headroomFactor": "0.99" }""" },
        { ConfigurationErrorCode.Conflict, "stream.shardQuota", """{ "stream.recordsPerSecond": "1000000", "stream.averageRecordSizeKiB": "1000", "stream.consumers": "20" }""" },
        { ConfigurationErrorCode.OutOfRange, "delivery.bufferSizeMiB", """{ "delivery.bufferSizeMiB": "63" }""" },
        { ConfigurationErrorCode.OutOfRange, "delivery.bufferIntervalSeconds", """{ "delivery.bufferIntervalSeconds": "59" }""" },
        { ConfigurationErrorCode.OutOfRange, "delivery.transformBufferSizeMiB", """{ "delivery.transformBufferSizeMiB": "0.19" }""" },
        { ConfigurationErrorCode.OutOfRange, "delivery.transformBufferIntervalSeconds", """{ "delivery.transformBufferIntervalSeconds": "-1" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.instanceCount", """{ "training.instanceCount": "0" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.instanceCount", """{ "training.instanceCount": "21" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.maxRuntimeMinutes", """{ "training.maxRuntimeMinutes": "9" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.minimumAuc", """{ "training.minimumAuc": "0.49" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.validationFraction", """{ "training.validationFraction": "0.04" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.scalePosWeight", """{ "training.scalePosWeight": "0" }""" },
        { ConfigurationErrorCode.NotANumber, "training.scalePosWeight", """{ "training.scalePosWeight": "NaN" }""" },
        { ConfigurationErrorCode.Conflict, "training.minimumPositives and training.validationFraction", """{ "training.minimumPositives": "10", "training.validationFraction": "0.05" }""" },
        { ConfigurationErrorCode.Conflict, "training.minimumPositives and training.minimumRows", """{ "training.minimumRows": "5", "training.minimumPositives": "10" }""" },
        { ConfigurationErrorCode.Conflict, "training.maxWaitMinutes", """{ "training.useSpot": "false", "training.maxWaitMinutes": "60" }""" },
        { ConfigurationErrorCode.Conflict, "training.maxWaitMinutes", """{ "training.useSpot": "true", "training.maxWaitMinutes": "30", "training.maxRuntimeMinutes": "60" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.executionTimeoutMinutes", """{ "training.executionTimeoutMinutes": "29" }""" },
        { ConfigurationErrorCode.Conflict, "training.tuning.maxParallelJobs and training.tuning.maxJobs", """{ "training.tuning.maxParallelJobs": "5", "training.tuning.maxJobs": "4" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.tuning.eta", """{ "training.tuning.eta": "0..0.5" }""" },
        { ConfigurationErrorCode.Malformed, "training.tuning.eta", """{ "training.tuning.eta": "0.5..0.1" }""" },
        { ConfigurationErrorCode.NotANumber, "training.tuning.maxDepth", """{ "training.tuning.maxDepth": "1.5..4" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.tuning.subsample", """{ "training.tuning.subsample": "0.5..1.1" }""" },
        { ConfigurationErrorCode.OutOfRange, "training.tuning.minChildWeight", """{ "training.tuning.minChildWeight": "-1..5" }""" },
        { ConfigurationErrorCode.Malformed, "training.tuning.eta", """{ "training.tuning.eta": "1e-3..0.5" }""" },
        { ConfigurationErrorCode.Conflict, "endpoint.minInstances and endpoint.maxInstances", """{ "endpoint.minInstances": "3", "endpoint.maxInstances": "2" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.canaryPercent", """{ "endpoint.canaryPercent": "51" }""" },
        { ConfigurationErrorCode.Conflict, "endpoint.canaryPercent and endpoint.minInstances", """{ "endpoint.canaryPercent": "10" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.canaryWaitMinutes", """{ "endpoint.canaryWaitMinutes": "61" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.maximumExecutionTimeoutMinutes", """{ "endpoint.maximumExecutionTimeoutMinutes": "9" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.dataCapturePercent", """{ "endpoint.dataCapturePercent": "101" }""" },
        { ConfigurationErrorCode.OutOfRange, "endpoint.scaleInCooldownSeconds", """{ "endpoint.scaleInCooldownSeconds": "-1" }""" },
        { ConfigurationErrorCode.Conflict, "endpoint.encryptVolume and endpoint.instanceType", """{ "endpoint.encryptVolume": "true", "endpoint.instanceType": "ml.m5d.large" }""" },
        { ConfigurationErrorCode.Conflict, "alarms.iteratorAgeMinutes", """{ "alarms.iteratorAgeMinutes": "721" }""" },
        { ConfigurationErrorCode.OutOfRange, "alarms.endpointLatencyP99Ms", """{ "alarms.endpointLatencyP99Ms": "0" }""" },
        { ConfigurationErrorCode.NotAllowed, "retention.logDays", """{ "retention.logDays": "30" }""" },
        { ConfigurationErrorCode.OutOfRange, "retention.rawDataDays", """{ "retention.rawDataDays": "0" }""" },
        { ConfigurationErrorCode.OutOfRange, "catalog.bytesScannedCutoffMiB", """{ "catalog.bytesScannedCutoffMiB": "2048" }""" },
        { ConfigurationErrorCode.Conflict, "drift.psiWarn and drift.psiAlarm", """{ "drift.psiWarn": "0.3", "drift.psiAlarm": "0.2" }""" },
        { ConfigurationErrorCode.OutOfRange, "drift.windowHours", """{ "drift.windowHours": "169" }""" },
        { ConfigurationErrorCode.OutOfRange, "drift.minimumRows", """{ "drift.minimumRows": "9" }""" },
        { ConfigurationErrorCode.OutOfRange, "functions.reservedConcurrency", """{ "functions.reservedConcurrency": "1001" }""" },
        { ConfigurationErrorCode.Conflict, "drift.schedule and endpoint.dataCapturePercent", """{ "endpoint.dataCapturePercent": "0" }""" },

        // 5. keys
        { ConfigurationErrorCode.UnknownKey, "Profile", """{ "Profile": "production" }""" },
        { ConfigurationErrorCode.UnknownKey, "training.instancetype", """{ "training.instancetype": "ml.m5.xlarge" }""" },
        { ConfigurationErrorCode.UnknownKey, "training.foo", """{ "training.foo": "1" }""" },
        { ConfigurationErrorCode.UnknownKey, "xyz", """{ "xyz": "1" }""" },
        { ConfigurationErrorCode.NestedObject, "training", """{ "training": { "instanceType": "ml.m5.xlarge" } }""" },
        { ConfigurationErrorCode.NestedObject, "endpoint", """{ "endpoint": { "minInstances": 2 } }""" },
        { ConfigurationErrorCode.UnknownKey, "stream.retention.hours", """{ "stream.retention.hours": "48" }""" },
        { ConfigurationErrorCode.UnknownKey, "prefix ", """{ "prefix ": "mlpipe" }""" },

        // 6. other
        { ConfigurationErrorCode.NotAllowed, "profile", """{ "profile": "Production" }""" },
        { ConfigurationErrorCode.NotAllowed, "profile", """{ "profile": "prod" }""" },
        { ConfigurationErrorCode.NotAllowed, "profile", """{ "profile": "" }""" },
        { ConfigurationErrorCode.NotAllowed, "network.tracing", """{ "network.tracing": "yes" }""" },
        { ConfigurationErrorCode.NotAllowed, "network.tracing", """{ "network.tracing": 1 }""" },
        { ConfigurationErrorCode.NotAllowed, "stream.mode", """{ "stream.mode": "on-demand" }""" },
        { ConfigurationErrorCode.Malformed, "alarms.email", """{ "alarms.email": "ops@@example.com" }""" },
        { ConfigurationErrorCode.Malformed, "alarms.email", """{ "alarms.email": "ops@exämple.com" }""" },
        { ConfigurationErrorCode.Malformed, "alarms.email", """{ "alarms.email": "ops@example" }""" },
        { ConfigurationErrorCode.ProductionRule, "network.azCount", """{ "profile": "production", "network.azCount": "1" }""" },
        { ConfigurationErrorCode.ProductionRule, "endpoint.minInstances", """{ "profile": "production", "endpoint.minInstances": "1", "endpoint.canaryPercent": "0" }""" },
        { ConfigurationErrorCode.ProductionRule, "stream.retentionHours", """{ "profile": "production", "stream.retentionHours": "24" }""" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Read_BadSetting_IsRefusedWithItsCodeOnItsKey(ConfigurationErrorCode code, string key, string contextJson)
    {
        var context = ContextSettings.ParseContext("probe", contextJson);

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ContextSettings.Read(context)).Errors);

        Assert.Equal((code, key), (error.Code, error.Key));
    }
}
