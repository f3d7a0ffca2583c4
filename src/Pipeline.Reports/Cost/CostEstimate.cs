using System.Text.Json.Nodes;
using Pipeline.Reports.Diagram;

namespace Pipeline.Reports.Cost;

/// <summary>
/// Cost estimates read from synthesized templates with a <see cref="PriceTable"/>: what the app costs idle per month
/// (resources billed by the hour or month whatever the traffic; nothing that only costs with use), what a served
/// endpoint costs per hour, and what one training run costs at most.
/// </summary>
/// <remarks>
/// Idle means no model served: resources under a condition (the serving stack's, all of which depend on a model) are not
/// counted. Usage charges (records, requests, log and object storage, queries, state transitions) are zero at idle.
/// </remarks>
public static class CostEstimate
{
    /// <summary>The idle monthly cost per stack, item by item (items of zero cost left out).</summary>
    public static IReadOnlyList<CostLine> Idle(IReadOnlyList<SynthesizedStack> stacks, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(prices);
        var lines = new List<CostLine>();
        foreach (var stack in stacks)
        {
            var resources = Unconditional(stack.Template).ToList();
            int Count(string type) => resources.Count(r => Type(r) == type);

            Add(lines, stack.Id, "KMS customer managed keys", Count("AWS::KMS::Key"), "key-month", prices, "kms.customerManagedKey.month");
            foreach (var stream in resources.Where(r => Type(r) == "AWS::Kinesis::Stream"))
            {
                if ((string?)stream["Properties"]?["StreamModeDetails"]?["StreamMode"] == "ON_DEMAND")
                {
                    Add(lines, stack.Id, "Kinesis stream, on-demand", PriceTable.HoursPerMonth, "stream-hour", prices, "kinesis.onDemand.streamHour");
                }
                else
                {
                    var shards = (int?)stream["Properties"]?["ShardCount"] ?? 1;
                    Add(lines, stack.Id, $"Kinesis stream, {shards} provisioned shard{(shards == 1 ? string.Empty : "s")}", shards * PriceTable.HoursPerMonth, "shard-hour", prices, "kinesis.provisioned.shardHour");
                    // Retention beyond the included 24 hours (up to 7 days) bills every shard-hour, traffic or not.
                    var retention = (int?)stream["Properties"]?["RetentionPeriodHours"] ?? 24;
                    if (retention > 24)
                    {
                        Add(lines, stack.Id, $"Kinesis extended retention ({retention} h), {shards} shard{(shards == 1 ? string.Empty : "s")}", shards * PriceTable.HoursPerMonth, "shard-hour", prices, "kinesis.provisioned.extendedRetention.shardHour");
                    }
                }
            }

            // An interface endpoint bills per Availability Zone it has a network interface in (one per subnet).
            var endpointZones = resources.Where(r => Type(r) == "AWS::EC2::VPCEndpoint" && (string?)r["Properties"]?["VpcEndpointType"] == "Interface")
                .Sum(r => r["Properties"]?["SubnetIds"]?.AsArray().Count ?? 0);
            Add(lines, stack.Id, "Interface VPC endpoints (per AZ)", endpointZones * PriceTable.HoursPerMonth, "endpoint-AZ-hour", prices, "privatelink.interfaceEndpoint.azHour");
            // Alarms bill per metric they evaluate; a metric-math alarm per metric in its expression.
            var alarmMetrics = resources.Where(r => Type(r) == "AWS::CloudWatch::Alarm").Sum(AlarmMetrics);
            Add(lines, stack.Id, "CloudWatch alarms (standard resolution)", alarmMetrics, "alarm-metric-month", prices, "cloudwatch.alarm.metricMonth");
            Add(lines, stack.Id, "CloudWatch dashboards", Count("AWS::CloudWatch::Dashboard"), "dashboard-month", prices, "cloudwatch.dashboard.month");
        }

        return lines;
    }

    /// <summary>
    /// What the always-free allowances take off <paramref name="lines"/> for an account that runs nothing else: per price,
    /// the free units (at most those used) at the unit price.
    /// </summary>
    public static IReadOnlyList<CostLine> Allowances(IReadOnlyList<CostLine> lines, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(prices);
        return [.. lines.GroupBy(l => l.PriceKey)
            .Select(g => (Key: g.Key, Used: g.Sum(l => l.Quantity), Price: g.First().UnitPrice, Unit: g.First().Unit, Free: prices.FreeUnits(g.Key)))
            .Where(a => a.Free > 0)
            .Select(a => new CostLine("account", $"Always free: {a.Free:0.##} {a.Unit}s", -Math.Min(a.Used, a.Free), a.Unit, a.Price, a.Key))];
    }

    /// <summary>The hourly cost of the endpoint's instances while a model is served (its initial fleet).</summary>
    public static IReadOnlyList<CostLine> EndpointHourly(IReadOnlyList<SynthesizedStack> stacks, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(prices);
        return [.. stacks.SelectMany(stack => Resources(stack.Template).Where(r => Type(r) == "AWS::SageMaker::EndpointConfig")
            .SelectMany(config => config["Properties"]?["ProductionVariants"]?.AsArray() ?? [])
            .Select(variant => (Type: (string)variant!["InstanceType"]!, Count: (int)variant["InitialInstanceCount"]!))
            .Select(v => new CostLine(stack.Id, $"Endpoint instances, {v.Type}", v.Count, "instance-hour", prices[$"sagemaker.hosting.{v.Type}.hour"], $"sagemaker.hosting.{v.Type}.hour")))];
    }

    /// <summary>
    /// The most one training run costs: every training job the train state machine can start (one, or a tuning job's
    /// budget) at on-demand prices for its whole maximum runtime.
    /// Managed spot training bills only the seconds used, at up to 90 % less.
    /// </summary>
    public static IReadOnlyList<CostLine> TrainingRun(IReadOnlyList<SynthesizedStack> stacks, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(prices);
        var lines = new List<CostLine>();
        foreach (var stack in stacks)
        {
            foreach (var machine in Resources(stack.Template).Where(r => Type(r) == "AWS::StepFunctions::StateMachine"))
            {
                if (JsonNode.Parse(Text(machine["Properties"]!["DefinitionString"]!))?["States"] is not JsonObject states)
                {
                    continue;
                }

                var train = states.Select(s => s.Value!).FirstOrDefault(s => (string?)s["Resource"] == "arn:aws:states:::sagemaker:createTrainingJob.sync");
                var tune = states.Select(s => s.Value!).FirstOrDefault(s => (string?)s["Resource"] == "arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync");
                if (train?["Parameters"] is JsonObject job)
                {
                    var (type, hours) = Job(job["ResourceConfig"]!, job["StoppingCondition"]!, "InstanceType", "InstanceCount");
                    var jobs = tune?["Parameters"]?["HyperParameterTuningJobConfig"]?["ResourceLimits"]?["MaxNumberOfTrainingJobs"] is JsonValue budget ? (int)budget : 1;
                    Add(lines, stack.Id, $"Training, {type}: one job at most", hours, "instance-hour", prices, $"sagemaker.training.{type}.hour");
                    if (jobs > 1)
                    {
                        Add(lines, stack.Id, $"Training, {type}: a tuning run's {jobs} jobs at most", hours * jobs, "instance-hour", prices, $"sagemaker.training.{type}.hour");
                    }

                    AddScans(lines, stack, states, prices, "run");
                }
            }
        }

        return lines;
    }

    /// <summary>
    /// What serving a model costs each month besides the endpoint's instances: the resources that exist only while a
    /// model is served (alarms, the drift function's custom metrics), the scheduled drift runs (state transitions and
    /// Athena scans), and the data capture's storage.
    /// </summary>
    /// <remarks>
    /// Drift runs: the schedule's runs a month × (every state of the drift state machine once, an upper bound for a
    /// definition without loops; each Athena query at its workgroup's per-query cutoff). Capture: the initial fleet at
    /// the requests per second the drift workgroup is sized for (its cutoff ÷ the window: largest fleet × requests/s per
    /// instance × capture share × 1 KiB a record), scaled to the initial fleet, for a month, kept a month.
    /// </remarks>
    public static IReadOnlyList<CostLine> Serving(IReadOnlyList<SynthesizedStack> stacks, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(prices);
        var lines = new List<CostLine>();
        foreach (var stack in stacks)
        {
            var all = Resources(stack.Template).ToList();
            var conditional = all.Where(r => r["Condition"] is not null).ToList();
            var alarmMetrics = conditional.Where(r => Type(r) == "AWS::CloudWatch::Alarm").Sum(AlarmMetrics);
            Add(lines, stack.Id, "CloudWatch alarms while served", alarmMetrics, "alarm-metric-month", prices, "cloudwatch.alarm.metricMonth");
            foreach (var (id, machine) in Named(stack.Template).Where(r => Type(r.Resource) == "AWS::StepFunctions::StateMachine"))
            {
                var schedules = Named(stack.Template).Where(r => Type(r.Resource) == "AWS::Events::Rule" && r.Resource["Condition"] is not null && Targets(r.Resource, id))
                    .Select(r => (string?)r.Resource["Properties"]?["ScheduleExpression"]).OfType<string>().ToList();
                if (schedules.Count == 0 || JsonNode.Parse(Text(machine["Properties"]!["DefinitionString"]!))?["States"] is not JsonObject states)
                {
                    continue;
                }

                var runs = schedules.Sum(RunsPerMonth);
                var name = id.StartsWith("Drift", StringComparison.Ordinal) ? "Drift" : id;
                Add(lines, stack.Id, $"{name} custom metrics (embedded metric format)", DriftCustomMetrics, "metric-month", prices, "cloudwatch.customMetric.month");
                Add(lines, stack.Id, $"{name} runs: state transitions", runs * states.Count, "state-transition", prices, "stepfunctions.standard.transition",
                    Invariant($"{runs:0.##} runs a month, {schedules[0]}, × {states.Count} states, each once at most"));
                var queries = Queries(states);
                if (queries > 0)
                {
                    var cutoff = Cutoff(stack);
                    Add(lines, stack.Id, $"{name} runs: Athena scans", runs * queries * cutoff / TB, "TB scanned", prices, "athena.scan.tb",
                        Invariant($"{runs:0.##} runs × {queries} quer{(queries == 1 ? "y" : "ies")} × the workgroup's {cutoff / GB:0.##} GB cutoff at most"));
                }
            }

            foreach (var config in conditional.Where(r => Type(r) == "AWS::SageMaker::EndpointConfig" && (bool?)r["Properties"]?["DataCaptureConfig"]?["EnableCapture"] == true))
            {
                var capture = (int?)config["Properties"]!["DataCaptureConfig"]!["InitialSamplingPercentage"] ?? 0;
                var initial = config["Properties"]?["ProductionVariants"]?.AsArray().Sum(v => (int?)v?["InitialInstanceCount"] ?? 0) ?? 0;
                var largest = all.Where(r => Type(r) == "AWS::ApplicationAutoScaling::ScalableTarget").Select(r => (int?)r["Properties"]?["MaxCapacity"]).OfType<int>().DefaultIfEmpty(initial).Max();
                var window = Environment(stack, "WINDOW_HOURS");
                if (capture == 0 || largest == 0 || window is null)
                {
                    continue;
                }

                // The drift workgroup's cutoff is the largest fleet's captured bytes over one window; scale it to the initial fleet.
                var bytesPerSecond = Cutoff(stack) / (window.Value * 3600m) * initial / largest;
                Add(lines, stack.Id, "Data capture storage", bytesPerSecond * SecondsPerMonth / GB, "GB-month", prices, "s3.standard.gbMonth",
                    Invariant($"a month's capture kept a month: {initial} of {largest} instances at their rated requests/s × {capture} % × ~1 KiB = {bytesPerSecond / 1024m:0.##} KiB/s"));
            }
        }

        return lines;
    }

    /// <summary>
    /// What a month of ingest adds to the lake's storage bill, at the rate the training workgroup is sized for (its
    /// cutoff ÷ the training window: records/s × record size × headroom), for a month, kept a month: the curated Parquet
    /// and the raw GZIP backup, each counted at the ingest size (no compression assumed, so an upper bound).
    /// </summary>
    public static IReadOnlyList<CostLine> LakeGrowth(IReadOnlyList<SynthesizedStack> stacks, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(prices);
        var lines = new List<CostLine>();
        var sized = stacks.Select(s => (Stack: s, Days: Environment(s, "LOOKBACK_DAYS"))).FirstOrDefault(s => s.Days is not null);
        if (sized.Stack is null)
        {
            return lines;
        }

        var bytesPerSecond = Cutoff(sized.Stack) / (sized.Days!.Value * 86_400m);
        foreach (var stack in stacks)
        {
            foreach (var firehose in Unconditional(stack.Template).Where(r => Type(r) == "AWS::KinesisFirehose::DeliveryStream"))
            {
                var destination = firehose["Properties"]?["ExtendedS3DestinationConfiguration"];
                var gbMonths = bytesPerSecond * SecondsPerMonth / GB;
                var format = destination?["DataFormatConversionConfiguration"]?["OutputFormatConfiguration"]?["Serializer"]?["ParquetSerDe"] is not null ? "Parquet" : "records";
                Add(lines, stack.Id, $"Curated {format}", gbMonths, "GB-month", prices, "s3.standard.gbMonth",
                    Invariant($"{bytesPerSecond / 1024m:0.##} KiB/s (records/s × record size × headroom) × 730 h, uncompressed"));
                if ((string?)destination?["S3BackupMode"] == "Enabled")
                {
                    var compression = (string?)destination?["S3BackupConfiguration"]?["CompressionFormat"] ?? "UNCOMPRESSED";
                    Add(lines, stack.Id, $"Raw {compression} backup", gbMonths, "GB-month", prices, "s3.standard.gbMonth", "the same bytes, compression not counted");
                }
            }
        }

        return lines;
    }

    /// <summary>Runs a month of the unconditional schedules that start a state machine with a training job (0 when none).</summary>
    public static decimal ScheduledTrainingRuns(IReadOnlyList<SynthesizedStack> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        return stacks.Sum(stack => Named(stack.Template)
            .Where(m => Type(m.Resource) == "AWS::StepFunctions::StateMachine" && Text(m.Resource["Properties"]!["DefinitionString"]!).Contains("sagemaker:createTrainingJob", StringComparison.Ordinal))
            .Sum(m => Named(stack.Template).Where(r => Type(r.Resource) == "AWS::Events::Rule" && r.Resource["Condition"] is null && Targets(r.Resource, m.Id))
                .Select(r => (string?)r.Resource["Properties"]?["ScheduleExpression"]).OfType<string>().Sum(RunsPerMonth)));
    }

    /// <summary>
    /// The drift function's custom metrics (<c>StreamingMlPipeline/Drift</c>, embedded metric format): CapturedRequests,
    /// SchemaViolations and MaxPsi per endpoint, and Psi per each of the model's 7 features. Not in the templates: the
    /// function emits them (src/Pipeline.Training/Drift/DriftReportDocument.cs).
    /// </summary>
    public const int DriftCustomMetrics = 10;

    /// <summary>Runs a month of an EventBridge schedule: <c>rate(n unit)</c> or a <c>cron(…)</c> of fixed minutes and hours on every day or on listed weekdays.</summary>
    /// <exception cref="NotSupportedException">A cron expression with day-of-month, month or year fields other than every.</exception>
    public static decimal RunsPerMonth(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.StartsWith("rate(", StringComparison.Ordinal))
        {
            var parts = expression[5..^1].Split(' ');
            var hours = parts[1].TrimEnd('s') switch { "minute" => 1m / 60, "hour" => 1m, "day" => 24m, _ => throw new NotSupportedException(expression) };
            return PriceTable.HoursPerMonth / (decimal.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * hours);
        }

        var fields = expression["cron(".Length..^1].Split(' ');
        if (fields.Length != 6 || fields[2] is not ("*" or "?") || fields[3] != "*" || fields[5] != "*")
        {
            throw new NotSupportedException($"The cost report reads only schedules of fixed times on every day or on listed weekdays, not '{expression}'.");
        }

        int Count(string field, int every) => field is "*" ? every : field.Split(',').Length;
        var perDay = Count(fields[0], 60) * Count(fields[1], 24);
        var days = fields[4] is "*" or "?" ? PriceTable.HoursPerMonth / 24m : Count(fields[4], 7) * PriceTable.HoursPerMonth / 168m;
        return perDay * days;
    }

    // Each Athena query a machine runs, at the stack's workgroup cutoff (the most it can scan; Athena bills at least 10 MB a query).
    private static void AddScans(List<CostLine> lines, SynthesizedStack stack, JsonObject states, PriceTable prices, string per)
    {
        var queries = Queries(states);
        if (queries > 0)
        {
            var cutoff = Math.Max(Cutoff(stack), 10_000_000m);
            Add(lines, stack.Id, $"Athena: {queries} quer{(queries == 1 ? "y" : "ies")} a {per}", queries * cutoff / TB, "TB scanned", prices, "athena.scan.tb",
                Invariant($"each at most the workgroup's {cutoff / GB:0.##} GB cutoff"));
        }
    }

    // Queries started by the definition's states, nested ones (parallel branches, maps) included.
    private static int Queries(JsonObject states) => states.Select(s => s.Value!).Sum(s =>
        ((string?)s["Resource"] == "arn:aws:states:::athena:startQueryExecution.sync" || (string?)s["Resource"] == "arn:aws:states:::athena:startQueryExecution" ? 1 : 0)
        + (s["Branches"]?.AsArray().Sum(b => b?["States"] is JsonObject inner ? Queries(inner) : 0) ?? 0)
        + ((s["ItemProcessor"] ?? s["Iterator"])?["States"] is JsonObject items ? Queries(items) : 0));

    // The per-query cutoff of the stack's one Athena workgroup (the machines query through their own stack's workgroup).
    private static decimal Cutoff(SynthesizedStack stack)
    {
        var workgroups = Resources(stack.Template).Where(r => Type(r) == "AWS::Athena::WorkGroup").ToList();
        return workgroups.Count == 1 && (long?)workgroups[0]["Properties"]?["WorkGroupConfiguration"]?["BytesScannedCutoffPerQuery"] is long cutoff
            ? cutoff
            : throw new InvalidOperationException($"Stack {stack.Id} has {workgroups.Count} Athena workgroups; the cost report reads a query's scan from the one workgroup with a BytesScannedCutoffPerQuery.");
    }

    // An environment variable of a function in the stack, as a number.
    private static decimal? Environment(SynthesizedStack stack, string name) => Resources(stack.Template).Where(r => Type(r) == "AWS::Lambda::Function")
        .Select(r => r["Properties"]?["Environment"]?["Variables"]?[name]).OfType<JsonValue>()
        .Select(v => decimal.TryParse((string?)v, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (decimal?)null)
        .FirstOrDefault(n => n is not null);

    private static bool Targets(JsonObject rule, string machine) =>
        rule["Properties"]?["Targets"]?.AsArray().Any(t => (string?)t?["Arn"]?["Ref"] == machine) ?? false;

    private static int AlarmMetrics(JsonObject alarm) =>
        alarm["Properties"]?["Metrics"] is JsonArray metrics ? metrics.Count(m => m?["MetricStat"] is not null) : 1;

    private const decimal SecondsPerMonth = PriceTable.HoursPerMonth * 3600m;
    private const decimal GB = 1024m * 1024m * 1024m;
    private const decimal TB = 1_000_000_000_000m;

    private static IEnumerable<(string Id, JsonObject Resource)> Named(JsonObject template) =>
        (template["Resources"]?.AsObject() ?? []).Select(r => (r.Key, r.Value!.AsObject()));

    private static (string Type, decimal InstanceHours) Job(JsonNode resources, JsonNode stopping, string typeField, string countField) =>
        ((string)resources[typeField]!, (int)resources[countField]! * (int)stopping["MaxRuntimeInSeconds"]! / 3600m);

    private static void Add(List<CostLine> lines, string stack, string item, decimal quantity, string unit, PriceTable prices, string key, string? basis = null)
    {
        if (quantity > 0)
        {
            lines.Add(new CostLine(stack, item, quantity, unit, prices[key], key, basis));
        }
    }

    private static IEnumerable<JsonObject> Resources(JsonObject template) =>
        (template["Resources"]?.AsObject() ?? []).Select(r => r.Value!.AsObject());

    private static IEnumerable<JsonObject> Unconditional(JsonObject template) => Resources(template).Where(r => r["Condition"] is null);

    private static string Invariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Type(JsonObject resource) => (string?)resource["Type"] ?? string.Empty;

    // A definition string with its deploy-time values written as placeholders (they never hold the priced numbers).
    private static string Text(JsonNode node) => node switch
    {
        JsonValue value => (string)value!,
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(p => Text(p!))),
        _ => "TOKEN",
    };
}
