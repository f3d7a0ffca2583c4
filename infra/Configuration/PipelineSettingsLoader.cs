using System.Globalization;
using Pipeline.Schema;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// Builds <see cref="PipelineSettings"/> from context values: the <c>profile</c> key picks a preset, every other
/// known key overrides one value. All problems are collected and reported together in one
/// <see cref="ConfigurationException"/>, each naming the key, the bad value, what is allowed and how to fix it.
/// </summary>
public static class PipelineSettingsLoader
{
    private static readonly Dictionary<string, PipelineProfile> Profiles = new(StringComparer.Ordinal)
    {
        ["sandbox"] = PipelineProfile.Sandbox,
        ["production"] = PipelineProfile.Production,
    };

    /// <summary>Every key the loader understands, <c>profile</c> first.</summary>
    public static IReadOnlyList<string> KnownKeys { get; } =
        [ConfigurationKeys.Profile, .. SettingDefinitions.All.Select(d => d.Key)];

    /// <summary>The lowercase name of a profile as written in context.</summary>
    public static string NameOf(PipelineProfile profile) => profile == PipelineProfile.Production ? "production" : "sandbox";

    /// <summary>Loads the settings, wording errors with what the context reader knows (<see cref="ContextDetails"/>).</summary>
    /// <param name="values">Context values by key; a null or missing value means "not set".</param>
    /// <param name="allKeys">
    /// Every key present in the context, when known; a key that is neither the app's nor the CDK's
    /// (<see cref="ContextKeys.IsCdkKey"/>) is reported with the closest known key. Null skips that check.
    /// </param>
    /// <param name="details">Null keys, nested objects and the files keys come from; null when nothing more is known.</param>
    /// <returns>The validated settings.</returns>
    /// <exception cref="ConfigurationException">The configuration has one or more problems.</exception>
    public static PipelineSettings Load(IReadOnlyDictionary<string, string?> values, IEnumerable<string>? allKeys = null, ContextDetails? details = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        details ??= ContextDetails.None;
        var errors = new List<ConfigurationError>();
        errors.AddRange(NullValues(details));

        var profile = PipelineProfile.Sandbox;
        if (values.TryGetValue(ConfigurationKeys.Profile, out var rawProfile) && rawProfile is not null)
        {
            if (Profiles.TryGetValue(rawProfile.Trim(), out var parsed))
            {
                profile = parsed;
            }
            else
            {
                errors.Add(new ConfigurationError(ConfigurationErrorCode.NotAllowed, ConfigurationKeys.Profile, rawProfile,
                    "is not a known profile.",
                    string.Join(", ", Profiles.Keys),
                    "pass -c profile=sandbox or -c profile=production (or set \"profile\" in cdk.json)."));
            }
        }

        var preset = SettingsPresets.For(profile);
        var settings = preset;
        foreach (var definition in SettingDefinitions.All)
        {
            if (!values.TryGetValue(definition.Key, out var raw) || raw is null)
            {
                continue;
            }

            var (result, problem) = definition.Apply(settings, raw.Trim());
            if (problem is not null)
            {
                errors.Add(new ConfigurationError(problem.Code, definition.Key, raw, problem.Text, definition.Allowed,
                    $"pass -c {definition.Key}=<value>, or remove the override to use the {NameOf(profile)} default ({definition.Current(preset)})."));
            }
            else if (result is not null)
            {
                settings = result;
            }
        }

        if (!settings.Training.UseSpot && settings.Training.MaxWaitMinutes is not null)
        {
            // SageMaker takes a wait time only for managed spot training: without spot the preset's value is dropped,
            // and an explicit one is a mistake worth saying (unless the value itself was already reported).
            if (values.TryGetValue(ConfigurationKeys.TrainingMaxWaitMinutes, out var rawWait) && rawWait is not null
                && !errors.Any(e => e.Key == ConfigurationKeys.TrainingMaxWaitMinutes))
            {
                errors.Add(new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.TrainingMaxWaitMinutes, rawWait,
                    $"is only allowed with managed spot training, and {ConfigurationKeys.TrainingUseSpot} is false: SageMaker takes MaxWaitTimeInSeconds (time waiting for spot capacity plus run time) only for spot training jobs, and without spot {ConfigurationKeys.TrainingMaxRuntimeMinutes} alone bounds a job.",
                    $"no {ConfigurationKeys.TrainingMaxWaitMinutes} when {ConfigurationKeys.TrainingUseSpot}=false",
                    $"remove -c {ConfigurationKeys.TrainingMaxWaitMinutes}, or pass -c {ConfigurationKeys.TrainingUseSpot}=true."));
            }

            settings = settings with { Training = settings.Training with { MaxWaitMinutes = null } };
        }

        if (allKeys is not null)
        {
            errors.AddRange(FindUnknownKeys(allKeys, details));
        }

        errors.AddRange(Validate(settings));
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return settings;
    }

    /// <summary>
    /// Checks the rules that span several values (and the production rules). Presets pass; overrides may not.
    /// </summary>
    public static IReadOnlyList<ConfigurationError> Validate(PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<ConfigurationError>();
        var production = settings.Profile == PipelineProfile.Production;

        if (production && settings.Network.AzCount < 2)
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.ProductionRule, ConfigurationKeys.AzCount, Invariant(settings.Network.AzCount),
                "production must span at least two Availability Zones.", "2 or 3 in production",
                $"pass -c {ConfigurationKeys.AzCount}=2 (or 3), or use -c profile=sandbox."));
        }

        if (settings.Stream.ShardCount is { } shards && shards > settings.Stream.ShardQuota)
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.StreamShardQuota, Invariant(settings.Stream.ShardQuota),
                $"a provisioned stream for {InvariantNumber(settings.Stream.RecordsPerSecond)} records/s of {InvariantNumber(settings.Stream.AverageRecordSizeKiB)} KiB read by {Invariant(settings.Stream.Consumers)} consumers with headroom {InvariantNumber(settings.Stream.HeadroomFactor)} needs {Invariant(shards)} shards, more than the account's shard quota; CloudFormation would fail to create it.",
                $"at most {Invariant(settings.Stream.ShardQuota)} shards (the default Kinesis Data Streams quota is 20,000 shards per account in us-east-1, us-west-2 and eu-west-1, and 1,000 or 6,000 in other Regions, shared by every stream of the account)",
                $"request a shard quota increase for Kinesis Data Streams through Service Quotas and pass -c {ConfigurationKeys.StreamShardQuota}=<approved quota>, or pass -c {ConfigurationKeys.StreamMode}=onDemand, or lower the expected load."));
        }

        if (settings.Endpoint.MinInstances > settings.Endpoint.MaxInstances)
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.EndpointMinInstances} and {ConfigurationKeys.EndpointMaxInstances}", null,
                $"the minimum ({Invariant(settings.Endpoint.MinInstances)}) exceeds the maximum ({Invariant(settings.Endpoint.MaxInstances)}).",
                "minInstances <= maxInstances",
                $"raise -c {ConfigurationKeys.EndpointMaxInstances} or lower -c {ConfigurationKeys.EndpointMinInstances}."));
        }

        if (production && settings.Endpoint.MinInstances < 2)
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.ProductionRule, ConfigurationKeys.EndpointMinInstances, Invariant(settings.Endpoint.MinInstances),
                "production endpoints need at least two instances so SageMaker spreads them across Availability Zones.",
                "2 to 20 in production",
                $"pass -c {ConfigurationKeys.EndpointMinInstances}=2 or more."));
        }

        errors.AddRange(ValidateEndpoint(settings.Endpoint));

        var halfRetentionMinutes = settings.Stream.RetentionHours * 60 / 2;
        if (settings.Alarms.IteratorAgeMinutes > halfRetentionMinutes)
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.AlarmIteratorAgeMinutes, Invariant(settings.Alarms.IteratorAgeMinutes),
                $"the alarm would fire too late: records expire after {Invariant(settings.Stream.RetentionHours)} hours ({ConfigurationKeys.StreamRetentionHours}).",
                $"1 to {Invariant(halfRetentionMinutes)} minutes (half the stream retention)",
                $"lower -c {ConfigurationKeys.AlarmIteratorAgeMinutes} or raise -c {ConfigurationKeys.StreamRetentionHours}."));
        }

        if (production && settings.Stream.RetentionHours < 24 * 7)
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.ProductionRule, ConfigurationKeys.StreamRetentionHours, Invariant(settings.Stream.RetentionHours),
                "production keeps a week of stream history so a stalled delivery can be repaired without data loss.",
                "168 to 8760 hours in production",
                $"pass -c {ConfigurationKeys.StreamRetentionHours}=168 or more, or use -c profile=sandbox."));
        }

        errors.AddRange(ValidateTraining(settings.Training));
        errors.AddRange(ValidateScheduleOverlaps(settings, DateTime.UtcNow));
        if (settings.Endpoint.DataCapturePercent == 0 && !string.Equals(settings.Drift.Schedule, "disabled", StringComparison.Ordinal))
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.DriftSchedule} and {ConfigurationKeys.EndpointDataCapturePercent}", null,
                "drift runs are scheduled, but the endpoint captures no request, so every run would judge an empty window.",
                $"{ConfigurationKeys.EndpointDataCapturePercent} of 1 to 100 with a drift schedule, or {ConfigurationKeys.DriftSchedule}=disabled",
                $"pass -c {ConfigurationKeys.EndpointDataCapturePercent}=<1-100>, or -c {ConfigurationKeys.DriftSchedule}=disabled to run without drift monitoring."));
        }

        if (settings.Drift.PsiWarn >= settings.Drift.PsiAlarm)
        {
            errors.Add(new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.DriftPsiWarn} and {ConfigurationKeys.DriftPsiAlarm}", null,
                $"the warning threshold ({InvariantNumber(settings.Drift.PsiWarn)}) is not below the alarm threshold ({InvariantNumber(settings.Drift.PsiAlarm)}).",
                "psiWarn < psiAlarm",
                $"lower -c {ConfigurationKeys.DriftPsiWarn} or raise -c {ConfigurationKeys.DriftPsiAlarm}."));
        }

        return errors;
    }

    /// <summary>The rules between endpoint values: the canary against the fleet, the deployment timeout, volume encryption.</summary>
    private static IEnumerable<ConfigurationError> ValidateEndpoint(EndpointSettings endpoint)
    {
        var min = endpoint.MinInstances;
        var percent = endpoint.CanaryPercent;
        if (percent > 0 && min * percent < 100)
        {
            var keys = $"{ConfigurationKeys.EndpointCanaryPercent} and {ConfigurationKeys.EndpointMinInstances}";
            var allowed = $"{ConfigurationKeys.EndpointCanaryPercent} x {ConfigurationKeys.EndpointMinInstances} >= 100 (a canary of at least one instance) with {ConfigurationKeys.EndpointCanaryPercent} <= {Invariant(SettingDefinitions.MaxCanaryPercent)} (at most half the fleet), or {ConfigurationKeys.EndpointCanaryPercent}=0 (all traffic at once)";
            if (min == 1)
            {
                yield return new ConfigurationError(ConfigurationErrorCode.Conflict, keys, null,
                    $"a fleet of 1 instance cannot run a canary of {Invariant(percent)} %: the smallest canary, one instance, would be the whole fleet, and SageMaker allows a canary of at most {Invariant(SettingDefinitions.MaxCanaryPercent)} % of the instances.",
                    allowed,
                    $"pass -c {ConfigurationKeys.EndpointMinInstances}=2 or more (with -c {ConfigurationKeys.EndpointCanaryPercent}={Invariant(SettingDefinitions.MaxCanaryPercent)}), or -c {ConfigurationKeys.EndpointCanaryPercent}=0 to shift all traffic at once.");
            }
            else
            {
                var neededPercent = (100 + min - 1) / min;
                var neededMin = (100 + percent - 1) / percent;
                yield return new ConfigurationError(ConfigurationErrorCode.Conflict, keys, null,
                    $"a canary of {Invariant(percent)} % of the smallest fleet ({Invariant(min)} instances, {ConfigurationKeys.EndpointMinInstances}) is {InvariantNumber(min * percent / 100.0)} instances, less than one instance.",
                    allowed,
                    $"raise -c {ConfigurationKeys.EndpointCanaryPercent} to {Invariant(neededPercent)} or more (at most {Invariant(SettingDefinitions.MaxCanaryPercent)}), raise -c {ConfigurationKeys.EndpointMinInstances} to {Invariant(neededMin)} or more, or pass -c {ConfigurationKeys.EndpointCanaryPercent}=0 to shift all traffic at once.");
            }
        }

        var waits = endpoint.CanaryWaitMinutes + endpoint.TerminationWaitMinutes;
        if (endpoint.MaximumExecutionTimeoutMinutes <= waits)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.EndpointMaximumExecutionTimeoutMinutes, Invariant(endpoint.MaximumExecutionTimeoutMinutes),
                $"a deployment waits {Invariant(endpoint.CanaryWaitMinutes)} minutes ({ConfigurationKeys.EndpointCanaryWaitMinutes}) + {Invariant(endpoint.TerminationWaitMinutes)} minutes ({ConfigurationKeys.EndpointTerminationWaitMinutes}) = {Invariant(waits)} minutes, and SageMaker wants MaximumExecutionTimeoutInSeconds larger than the waits (it also covers provisioning the new fleet).",
                $"{Invariant(Math.Max(waits + 1, SettingDefinitions.MinDeploymentTimeoutMinutes))} to {Invariant(SettingDefinitions.MaxDeploymentTimeoutMinutes)} minutes",
                $"raise -c {ConfigurationKeys.EndpointMaximumExecutionTimeoutMinutes} well above {Invariant(waits)} (for example {Invariant(Math.Min(waits + 30, SettingDefinitions.MaxDeploymentTimeoutMinutes))}), or lower -c {ConfigurationKeys.EndpointCanaryWaitMinutes} or -c {ConfigurationKeys.EndpointTerminationWaitMinutes}.");
        }

        if (endpoint.EncryptVolume && endpoint.HasLocalNvmeStorage)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.EndpointEncryptVolume} and {ConfigurationKeys.EndpointInstanceType}", null,
                $"{endpoint.InstanceType} has local NVMe instance storage, and SageMaker rejects an EndpointConfig KmsKeyId (the volume key) for instance types with local storage: CreateEndpointConfig would fail.",
                $"{ConfigurationKeys.EndpointEncryptVolume}=true on an EBS-only family (m5, m6i, m7i, c5, c6i, c7i, r5, r6i, r7i), or {ConfigurationKeys.EndpointEncryptVolume}=false on a family with NVMe storage (the d variants, g4dn, g5)",
                $"pass an EBS-only type such as -c {ConfigurationKeys.EndpointInstanceType}=ml.m5.large or ml.c5.large, or pass -c {ConfigurationKeys.EndpointEncryptVolume}=false (NVMe instance storage is encrypted in hardware with a key of the instance, not with the pipeline's KMS key).");
        }

        // The target is rounded to 2 decimals (EndpointSettings.TargetInvocationsPerInstance); a target of 0 would make
        // target tracking scale out forever, and Application Auto Scaling takes a TargetValue only within 2^-360..2^360
        // (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html).
        if (endpoint.TargetInvocationsPerInstance < MinTargetInvocationsPerInstance)
        {
            var product = endpoint.MaxRpsPerInstance * endpoint.SafetyFactor * 60;
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.EndpointMaxRpsPerInstance} and {ConfigurationKeys.EndpointSafetyFactor}", null,
                $"the scaling target {InvariantNumber(endpoint.MaxRpsPerInstance)} requests/s x {InvariantNumber(endpoint.SafetyFactor)} x 60 = {product.ToString("G6", CultureInfo.InvariantCulture)} invocations per instance per minute rounds to {InvariantNumber(endpoint.TargetInvocationsPerInstance)} at two decimals, and a target tracking policy needs a target above 0 (with 0 every instance is always over target).",
                $"{ConfigurationKeys.EndpointMaxRpsPerInstance} x {ConfigurationKeys.EndpointSafetyFactor} x 60 >= {InvariantNumber(MinTargetInvocationsPerInstance)}",
                $"raise -c {ConfigurationKeys.EndpointSafetyFactor} (SageMaker recommends starting at 0.5) or -c {ConfigurationKeys.EndpointMaxRpsPerInstance} to the load-tested requests per second of one instance.");
        }
    }

    /// <summary>The smallest scaling target that survives rounding to two decimals: 0.01 invocations per instance per minute.</summary>
    internal const double MinTargetInvocationsPerInstance = 0.01;

    /// <summary>
    /// Minutes one drift run may take: the drift workflow's execution timeout (infra/Constructs/Serving/DriftWorkflow.cs,
    /// TimeoutSeconds = 3600). A drift schedule firing more often would start runs while one still runs.
    /// </summary>
    public const int DriftRunTimeoutMinutes = 60;

    /// <summary>
    /// Schedules that start a run before the previous one may have finished: the shortest gap between two fire times of
    /// training.schedule against training.executionTimeoutMinutes, and of drift.schedule against the drift timeout.
    /// </summary>
    private static IEnumerable<ConfigurationError> ValidateScheduleOverlaps(PipelineSettings settings, DateTime nowUtc)
    {
        var training = settings.Training;
        if (ScheduleExpression.Problem(training.Schedule) is null
            && ScheduleExpression.ShortestInterval(training.Schedule, nowUtc) is { } trainingGap
            && trainingGap.TotalMinutes < training.ExecutionTimeoutMinutes)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.TrainingSchedule} and {ConfigurationKeys.TrainingExecutionTimeoutMinutes}", null,
                $"\"{SafeText.Echo(training.Schedule)}\" starts a training run every {ScheduleExpression.Describe(trainingGap)} at the closest, and a run may take {Invariant(training.ExecutionTimeoutMinutes)} minutes ({ConfigurationKeys.TrainingExecutionTimeoutMinutes}): runs would overlap, training on the same window and racing to register models.",
                $"fire times at least {Invariant(training.ExecutionTimeoutMinutes)} minutes apart ({ScheduleExpression.Describe(TimeSpan.FromMinutes(training.ExecutionTimeoutMinutes))})",
                $"pass a sparser schedule such as -c {ConfigurationKeys.TrainingSchedule}=\"rate({Invariant(RoundUpToHours(training.ExecutionTimeoutMinutes))} hours)\" or a daily or weekly cron(...), or lower -c {ConfigurationKeys.TrainingExecutionTimeoutMinutes} (it must still cover the worst-case training time).");
        }

        var drift = settings.Drift;
        if (ScheduleExpression.Problem(drift.Schedule) is null
            && ScheduleExpression.ShortestInterval(drift.Schedule, nowUtc) is { } driftGap
            && driftGap.TotalMinutes < DriftRunTimeoutMinutes)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.DriftSchedule, drift.Schedule,
                $"starts a drift run every {ScheduleExpression.Describe(driftGap)} at the closest, and a drift run may take up to {Invariant(DriftRunTimeoutMinutes)} minutes (the drift workflow's timeout): runs would overlap.",
                $"fire times at least {Invariant(DriftRunTimeoutMinutes)} minutes apart, e.g. rate(1 hour) or cron(30 0 * * ? *)",
                $"pass -c {ConfigurationKeys.DriftSchedule}=\"rate(1 hour)\" or sparser (drift judges whole-hour windows, drift.windowHours), or -c {ConfigurationKeys.DriftSchedule}=disabled.");
        }
    }

    private static int RoundUpToHours(int minutes) => Math.Max(2, (minutes + 59) / 60);

    /// <summary>The rules between training values: spot wait, data checks, instances, tuning limits, execution timeout.</summary>
    private static IEnumerable<ConfigurationError> ValidateTraining(TrainingSettings training)
    {
        if (training.UseSpot && training.MaxWaitMinutes is null)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.TrainingMaxWaitMinutes, null,
                "managed spot training needs a maximum wait time (StoppingCondition MaxWaitTimeInSeconds), and none is set.",
                $"a whole number of minutes from {Invariant(training.MaxRuntimeMinutes)} ({ConfigurationKeys.TrainingMaxRuntimeMinutes}) to 40320 with {ConfigurationKeys.TrainingUseSpot}=true",
                $"pass -c {ConfigurationKeys.TrainingMaxWaitMinutes}=<minutes>, or pass -c {ConfigurationKeys.TrainingUseSpot}=false.");
        }

        if (!training.UseSpot && training.MaxWaitMinutes is { } unused)
        {
            // Load drops the preset's wait time without spot; only settings built in code get here.
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.TrainingMaxWaitMinutes, Invariant(unused),
                $"is only allowed with managed spot training, and {ConfigurationKeys.TrainingUseSpot} is false: SageMaker takes MaxWaitTimeInSeconds only for spot training jobs.",
                $"no {ConfigurationKeys.TrainingMaxWaitMinutes} when {ConfigurationKeys.TrainingUseSpot}=false",
                "set MaxWaitMinutes to null, or UseSpot to true.");
        }

        if (training.UseSpot && training.MaxWaitMinutes is { } wait && wait < training.MaxRuntimeMinutes)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.TrainingMaxWaitMinutes, Invariant(wait),
                $"is shorter than the run time it has to contain ({ConfigurationKeys.TrainingMaxRuntimeMinutes} = {Invariant(training.MaxRuntimeMinutes)}): SageMaker requires MaxWaitTimeInSeconds, the time waiting for spot capacity plus the run time, to be at least MaxRuntimeInSeconds.",
                $"{Invariant(training.MaxRuntimeMinutes)} to 40320 minutes (more than {ConfigurationKeys.TrainingMaxRuntimeMinutes} leaves time to wait for spot capacity)",
                $"raise -c {ConfigurationKeys.TrainingMaxWaitMinutes} to {Invariant(training.MaxRuntimeMinutes)} or more, or lower -c {ConfigurationKeys.TrainingMaxRuntimeMinutes}.");
        }

        if (training.MinimumPositives > training.MinimumRows)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.TrainingMinimumPositives} and {ConfigurationKeys.TrainingMinimumRows}", null,
                $"the minimum number of positives ({Invariant(training.MinimumPositives)}) exceeds the minimum number of rows ({Invariant(training.MinimumRows)}), so the row check could never be the one that stops a run.",
                "minimumPositives <= minimumRows",
                $"raise -c {ConfigurationKeys.TrainingMinimumRows} or lower -c {ConfigurationKeys.TrainingMinimumPositives}.");
        }
        else if (training.MinimumPositives * training.ValidationFraction < 1)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.TrainingMinimumPositives} and {ConfigurationKeys.TrainingValidationFraction}", null,
                $"a run with {Invariant(training.MinimumPositives)} {(training.MinimumPositives == 1 ? "positive" : "positives")} holds out {InvariantNumber(training.ValidationFraction)} of them, less than one positive, and the validation AUC needs positives and negatives.",
                "minimumPositives x validationFraction >= 1",
                $"raise -c {ConfigurationKeys.TrainingMinimumPositives} to {Invariant((int)Math.Ceiling(1 / training.ValidationFraction))} or more, or raise -c {ConfigurationKeys.TrainingValidationFraction}.");
        }

        if (training.Tuning.MaxParallelJobs > training.Tuning.MaxJobs)
        {
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict,
                $"{ConfigurationKeys.TuningMaxParallelJobs} and {ConfigurationKeys.TuningMaxJobs}", null,
                $"{Invariant(training.Tuning.MaxParallelJobs)} parallel training jobs exceed the {Invariant(training.Tuning.MaxJobs)} training jobs the tuning job may launch.",
                "maxParallelJobs <= maxJobs",
                $"lower -c {ConfigurationKeys.TuningMaxParallelJobs} or raise -c {ConfigurationKeys.TuningMaxJobs}.");
        }
        else if (training.UseSpot == (training.MaxWaitMinutes is not null)
            && training.ExecutionTimeoutMinutes < training.RequiredExecutionTimeoutMinutes)
        {
            var perJob = training.UseSpot
                ? $"{Invariant(training.TrainingJobBoundMinutes)} minutes per training job ({ConfigurationKeys.TrainingMaxWaitMinutes}, spot)"
                : $"{Invariant(training.TrainingJobBoundMinutes)} minutes per training job ({ConfigurationKeys.TrainingMaxRuntimeMinutes})";
            var rounds = training.Tuning.Enabled
                ? $"{Invariant(training.SequentialTrainingJobs)} rounds of tuning ({Invariant(training.Tuning.MaxJobs)} jobs, {Invariant(training.Tuning.MaxParallelJobs)} at a time)"
                : "1 training job (tuning disabled)";
            var required = Invariant(training.RequiredExecutionTimeoutMinutes);
            yield return new ConfigurationError(ConfigurationErrorCode.Conflict, ConfigurationKeys.TrainingExecutionTimeoutMinutes, Invariant(training.ExecutionTimeoutMinutes),
                $"the state machine could time out while training still runs: {rounds} x {perJob} + {Invariant(TrainingSettings.QueryAndRegistrationMinutes)} minutes for the queries and registration = {required} minutes.",
                $"{required} to {Invariant(SettingDefinitions.MaxExecutionTimeoutMinutes)} minutes (one year, the Step Functions Standard limit)",
                $"pass -c {ConfigurationKeys.TrainingExecutionTimeoutMinutes}={required} or more, or shorten training: lower -c {(training.UseSpot ? ConfigurationKeys.TrainingMaxWaitMinutes : ConfigurationKeys.TrainingMaxRuntimeMinutes)} or -c {ConfigurationKeys.TuningMaxJobs}, or raise -c {ConfigurationKeys.TuningMaxParallelJobs}.");
        }
    }

    /// <summary>Keys present with a JSON null: the CLI's null for a number JSON cannot carry, or an explicit null.</summary>
    private static IEnumerable<ConfigurationError> NullValues(ContextDetails details)
    {
        foreach (var key in KnownKeys.Where(k => details.NullKeys.Contains(k)))
        {
            var definition = SettingDefinitions.All.FirstOrDefault(d => d.Key == key);
            var allowed = definition?.Allowed ?? string.Join(", ", Profiles.Keys);
            yield return new ConfigurationError(ConfigurationErrorCode.NullValue, key, null,
                "is null, not a finite number or any other value: the CDK CLI hands the app JSON null for a number JSON cannot hold (1e400 or another number beyond ±1.8e308 in cdk.json, NaN, Infinity) and for an explicit null.",
                allowed,
                $"write a value as allowed{Where(details, key)}, or remove the key to use the profile's default.");
        }
    }

    private static IEnumerable<ConfigurationError> FindUnknownKeys(IEnumerable<string> allKeys, ContextDetails details)
    {
        foreach (var key in allKeys)
        {
            if (KnownKeys.Contains(key, StringComparer.Ordinal) || ContextKeys.IsCdkKey(key))
            {
                continue;
            }

            if (details.NestedKeys.TryGetValue(key, out var flatKeys))
            {
                var known = flatKeys.Where(k => KnownKeys.Contains(k, StringComparer.Ordinal)).ToList();
                var example = known.Count > 0 ? known[0] : SectionKeys(key).FirstOrDefault() ?? ConfigurationKeys.TrainingInstanceType;
                yield return new ConfigurationError(ConfigurationErrorCode.NestedObject, key, null,
                    "is a nested JSON object, and the app reads only flat keys: its values are not used.",
                    $"flat keys at the top level of \"context\", such as \"{example}\": <value>",
                    known.Count > 0
                        ? $"write {string.Join(", ", known.Select(k => $"\"{k}\""))} as flat keys at the top level of \"context\" (or pass -c {known[0]}=<value>) and remove \"{key}\"{Where(details, key)}."
                        : $"write each value under its flat key (README.md, Configuration) at the top level of \"context\" and remove \"{key}\"{Where(details, key)}.");
                continue;
            }

            yield return new ConfigurationError(ConfigurationErrorCode.UnknownKey, key, null, "is not a configuration key of this app, nor a key of the AWS CDK.",
                "the keys listed in README.md (Configuration), and CDK keys (@aws-cdk/..., aws:cdk:..., cdk.context.json lookups)",
                UnknownKeyFix(key, details));
        }
    }

    /// <summary>A suggestion only when one is close; otherwise the keys of the key's section, or the sections.</summary>
    private static string UnknownKeyFix(string key, ContextDetails details)
    {
        var from = details.SourceOf(key) is { } file ? $"remove it from {file}, where it is set" : "remove it (from -c, cdk.json or ~/.cdk.json)";
        if (ContextKeys.CloseKnownKey(key, KnownKeys) is { } close)
        {
            return $"did you mean {close}? Rename the key or {from}.";
        }

        var section = ContextKeys.SectionOf(key);
        var sectionKeys = section is null ? [] : SectionKeys(section);
        if (sectionKeys.Count > 0)
        {
            return $"no key of the app is close to it; the {ContextKeys.SectionOf(sectionKeys[0])}.* keys are {string.Join(", ", sectionKeys)}. Use one of them, or {from}.";
        }

        var sections = KnownKeys.Select(ContextKeys.SectionOf).OfType<string>().Distinct(StringComparer.Ordinal).Select(s => s + ".*");
        return $"no key of the app is close to it; the app's keys are profile, prefix and the {string.Join(", ", sections)} keys (README.md, Configuration). Use one of them, or {from}.";
    }

    /// <summary>The known keys of a section (compared ignoring case), such as every training.* key for training.</summary>
    private static List<string> SectionKeys(string section) =>
        KnownKeys.Where(k => string.Equals(ContextKeys.SectionOf(k), section, StringComparison.OrdinalIgnoreCase)).ToList();

    private static string Where(ContextDetails details, string key) =>
        details.SourceOf(key) is { } file ? $" in {file}" : string.Empty;

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string InvariantNumber(double value) => value.ToString(CultureInfo.InvariantCulture);
}
