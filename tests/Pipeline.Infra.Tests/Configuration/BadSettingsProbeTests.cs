using System.Text.Json;
using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>
/// The bad-settings probe: settings that would synthesize and then fail at deploy or run time (or throw during synth)
/// unless validation refuses them. Each must be refused with a <see cref="ConfigurationException"/>, read the way the
/// CLI hands context to the app (JSON values, CDK_CONTEXT_JSON), without a synth per case.
/// </summary>
public sealed class BadSettingsProbeTests
{
    /// <summary>Class, then the context as JSON (merged over an empty context: the sandbox preset).</summary>
    public static TheoryData<string, string> BadSettings { get; } = new()
    {
        // 1. instance types
        { "instance type", """{ "training.instanceType": "ml.m5.8xlarge" }""" },
        { "instance type", """{ "training.instanceType": "ml.c6i.large" }""" },
        { "instance type", """{ "training.instanceType": "ml.m5d.large" }""" },
        { "instance type", """{ "training.instanceType": "ml.g4dn.xlarge" }""" },
        { "instance type", """{ "training.instanceType": "ml.p3.2xlarge" }""" },
        { "instance type", """{ "training.instanceType": "ml.g5.2xlarge" }""" },
        { "instance type", """{ "training.instanceType": "ml.t3.nano" }""" },
        { "instance type", """{ "training.instanceType": "ml.r5.medium" }""" },
        { "instance type", """{ "training.instanceType": "ml.c5.large" }""" },
        { "instance type", """{ "training.instanceType": "ml.m4.xlarge" }""" },
        { "instance type", """{ "training.instanceType": "ML.M5.XLARGE" }""" },
        { "instance type", """{ "training.instanceType": "m5.xlarge" }""" },
        { "instance type", """{ "training.instanceType": "" }""" },
        { "instance type", """{ "training.instanceType": "ml.m5.xlarge\u200b" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.m6id.large" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.c6id.xlarge" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.r5.8xlarge" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.m5.8xlarge" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.t3.medium" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.t2.medium" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.c5n.xlarge" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.m5.medium" }""" },
        { "instance type", """{ "endpoint.instanceType": "ml.g5.3xlarge" }""" },
        { "instance type", """{ "endpoint.instanceType": 5 }""" },

        // 2. prefix
        { "prefix", """{ "prefix": "sthree" }""" },
        { "prefix", """{ "prefix": "sthree-lake" }""" },
        { "prefix", """{ "prefix": "amzn-s3-demo" }""" },
        { "prefix", """{ "prefix": "amzn-s3-demo-x" }""" },
        { "prefix", """{ "prefix": "xn--abc" }""" },
        { "prefix", """{ "prefix": "abcdefghijklmnopqrstu" }""" },
        { "prefix", """{ "prefix": "ml" }""" },
        { "prefix", """{ "prefix": "Mlpipe" }""" },
        { "prefix", """{ "prefix": "ml_pipe" }""" },
        { "prefix", """{ "prefix": "ml.pipe" }""" },
        { "prefix", """{ "prefix": "mlpipe-" }""" },
        { "prefix", """{ "prefix": "1mlpipe" }""" },
        { "prefix", """{ "prefix": "mlpïpe" }""" },
        { "prefix", """{ "prefix": "" }""" },
        { "prefix", """{ "prefix": 123 }""" },

        // 3. schedules
        { "schedule", """{ "training.schedule": "cron(0 0 31 2 ? *)" }""" },
        { "schedule", """{ "training.schedule": "cron(0 0 30 FEB ? *)" }""" },
        { "schedule", """{ "training.schedule": "cron(0 0 31 4,6,9,11 ? *)" }""" },
        { "schedule", """{ "training.schedule": "cron(0 0 1 1 ? 2020)" }""" },
        { "schedule", """{ "training.schedule": "cron(0 0 29 2 ? 2027)" }""" },
        { "schedule", """{ "training.schedule": "cron(0 0 ? 2 5#5 2026)" }""" },
        { "schedule", """{ "training.schedule": "rate(1 hour)" }""" },
        { "schedule", """{ "training.schedule": "rate(1 minute)" }""" },
        { "schedule", """{ "training.schedule": "rate(60 minutes)" }""" },
        { "schedule", """{ "training.schedule": "cron(0/30 * * * ? *)" }""" },
        { "schedule", """{ "training.schedule": "cron(0 * * * ? *)" }""" },
        { "schedule", """{ "training.schedule": "cron(0 0,1 * * ? *)" }""" },
        { "schedule", """{ "training.schedule": "rate(1 day)", "training.executionTimeoutMinutes": "2880" }""" },
        { "schedule", """{ "drift.schedule": "rate(30 minutes)" }""" },
        { "schedule", """{ "drift.schedule": "rate(1 minute)" }""" },
        { "schedule", """{ "drift.schedule": "cron(0/15 * * * ? *)" }""" },
        { "schedule", """{ "drift.schedule": "cron(0 0 31 2 ? *)" }""" },
        { "schedule", """{ "drift.schedule": "cron(0 0 1 1 ? 1999)" }""" },
        { "schedule", """{ "drift.schedule": "rate(0 hours)" }""" },
        { "schedule", """{ "drift.schedule": "rate(-1 hours)" }""" },
        { "schedule", """{ "drift.schedule": "rate(1.5 hours)" }""" },
        { "schedule", """{ "drift.schedule": "cron(0 0 * * * *)" }""" },
        { "schedule", """{ "drift.schedule": "Disabled" }""" },
        { "schedule", """{ "drift.schedule": "" }""" },

        // 4. numbers
        { "number", """{ "endpoint.maxRpsPerInstance": "0.1", "endpoint.safetyFactor": "0.0001" }""" },
        { "number", """{ "endpoint.safetyFactor": "1e-300" }""" },
        { "number", """{ "endpoint.safetyFactor": "5e-324" }""" },
        { "number", """{ "endpoint.safetyFactor": 1e400 }""" },
        { "number", """{ "endpoint.safetyFactor": null }""" },
        { "number", """{ "stream.recordsPerSecond": null }""" },
        { "number", """{ "network.azCount": null }""" },
        { "number", """{ "profile": null }""" },
        { "number", """{ "stream.retentionHours": 1e400 }""" },
        { "number", """{ "endpoint.safetyFactor": "NaN" }""" },
        { "number", """{ "endpoint.safetyFactor": "Infinity" }""" },
        { "number", """{ "endpoint.safetyFactor": "-Infinity" }""" },
        { "number", """{ "endpoint.safetyFactor": "0" }""" },
        { "number", """{ "endpoint.safetyFactor": "-0" }""" },
        { "number", """{ "endpoint.safetyFactor": "0x1" }""" },
        { "number", """{ "endpoint.safetyFactor": "1,5" }""" },
        { "number", """{ "stream.retentionHours": "0x18" }""" },
        { "number", """{ "stream.retentionHours": "23" }""" },
        { "number", """{ "stream.retentionHours": "8761" }""" },
        { "number", """{ "stream.retentionHours": "24.5" }""" },
        { "number", """{ "stream.retentionHours": "2147483648" }""" },
        { "number", """{ "stream.retentionHours": "٢٤" }""" },
        { "number", """{ "stream.retentionHours": "" }""" },
        { "number", """{ "stream.retentionHours": "   " }""" },
        { "number", """{ "stream.retentionHours": true }""" },
        { "number", """{ "stream.retentionHours": [24] }""" },
        { "number", """{ "stream.recordsPerSecond": "-1" }""" },
        { "number", """{ "stream.averageRecordSizeKiB": "0" }""" },
        { "number", """{ "stream.headroomFactor": "0.99" }""" },
        { "number", """{ "stream.recordsPerSecond": "1000000", "stream.averageRecordSizeKiB": "1000", "stream.consumers": "20" }""" },
        { "number", """{ "delivery.bufferSizeMiB": "63" }""" },
        { "number", """{ "delivery.bufferIntervalSeconds": "59" }""" },
        { "number", """{ "delivery.transformBufferSizeMiB": "0.19" }""" },
        { "number", """{ "delivery.transformBufferIntervalSeconds": "-1" }""" },
        { "number", """{ "training.instanceCount": "0" }""" },
        { "number", """{ "training.instanceCount": "21" }""" },
        { "number", """{ "training.maxRuntimeMinutes": "9" }""" },
        { "number", """{ "training.minimumAuc": "0.49" }""" },
        { "number", """{ "training.validationFraction": "0.04" }""" },
        { "number", """{ "training.scalePosWeight": "0" }""" },
        { "number", """{ "training.scalePosWeight": "NaN" }""" },
        { "number", """{ "training.minimumPositives": "10", "training.validationFraction": "0.05" }""" },
        { "number", """{ "training.minimumRows": "5", "training.minimumPositives": "10" }""" },
        { "number", """{ "training.useSpot": "false", "training.maxWaitMinutes": "60" }""" },
        { "number", """{ "training.useSpot": "true", "training.maxWaitMinutes": "30", "training.maxRuntimeMinutes": "60" }""" },
        { "number", """{ "training.executionTimeoutMinutes": "29" }""" },
        { "number", """{ "training.tuning.maxParallelJobs": "5", "training.tuning.maxJobs": "4" }""" },
        { "number", """{ "training.tuning.eta": "0..0.5" }""" },
        { "number", """{ "training.tuning.eta": "0.5..0.1" }""" },
        { "number", """{ "training.tuning.maxDepth": "1.5..4" }""" },
        { "number", """{ "training.tuning.subsample": "0.5..1.1" }""" },
        { "number", """{ "training.tuning.minChildWeight": "-1..5" }""" },
        { "number", """{ "training.tuning.eta": "1e-3..0.5" }""" },
        { "number", """{ "endpoint.minInstances": "3", "endpoint.maxInstances": "2" }""" },
        { "number", """{ "endpoint.canaryPercent": "51" }""" },
        { "number", """{ "endpoint.canaryPercent": "10" }""" },
        { "number", """{ "endpoint.canaryWaitMinutes": "61" }""" },
        { "number", """{ "endpoint.maximumExecutionTimeoutMinutes": "9" }""" },
        { "number", """{ "endpoint.dataCapturePercent": "101" }""" },
        { "number", """{ "endpoint.scaleInCooldownSeconds": "-1" }""" },
        { "number", """{ "endpoint.encryptVolume": "true", "endpoint.instanceType": "ml.m5d.large" }""" },
        { "number", """{ "alarms.iteratorAgeMinutes": "721" }""" },
        { "number", """{ "alarms.endpointLatencyP99Ms": "0" }""" },
        { "number", """{ "retention.logDays": "30" }""" },
        { "number", """{ "retention.rawDataDays": "0" }""" },
        { "number", """{ "catalog.bytesScannedCutoffMiB": "2048" }""" },
        { "number", """{ "drift.psiWarn": "0.3", "drift.psiAlarm": "0.2" }""" },
        { "number", """{ "drift.windowHours": "169" }""" },
        { "number", """{ "drift.minimumRows": "9" }""" },
        { "number", """{ "functions.reservedConcurrency": "1001" }""" },
        { "number", """{ "endpoint.dataCapturePercent": "0" }""" },

        // 5. keys
        { "key", """{ "Profile": "production" }""" },
        { "key", """{ "training.instancetype": "ml.m5.xlarge" }""" },
        { "key", """{ "training.foo": "1" }""" },
        { "key", """{ "xyz": "1" }""" },
        { "key", """{ "training": { "instanceType": "ml.m5.xlarge" } }""" },
        { "key", """{ "endpoint": { "minInstances": 2 } }""" },
        { "key", """{ "stream.retention.hours": "48" }""" },
        { "key", """{ "prefix ": "mlpipe" }""" },

        // 6. other
        { "other", """{ "profile": "Production" }""" },
        { "other", """{ "profile": "prod" }""" },
        { "other", """{ "profile": "" }""" },
        { "other", """{ "network.tracing": "yes" }""" },
        { "other", """{ "network.tracing": 1 }""" },
        { "other", """{ "stream.mode": "on-demand" }""" },
        { "other", """{ "alarms.email": "ops@@example.com" }""" },
        { "other", """{ "alarms.email": "ops@exämple.com" }""" },
        { "other", """{ "alarms.email": "ops@example" }""" },
        { "other", """{ "profile": "production", "network.azCount": "1" }""" },
        { "other", """{ "profile": "production", "endpoint.minInstances": "1" }""" },
        { "other", """{ "profile": "production", "stream.retentionHours": "24" }""" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Read_BadSetting_IsRefusedWithAConfigurationError(string settingClass, string contextJson)
    {
        Assert.NotNull(settingClass);
        var context = ContextSettings.ParseContext("probe", contextJson);

        var error = Record.Exception(() => ContextSettings.Read(context));

        Assert.IsType<ConfigurationException>(error);
    }
}
