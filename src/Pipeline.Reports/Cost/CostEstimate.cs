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
                }
            }

            // An interface endpoint bills per Availability Zone it has a network interface in (one per subnet).
            var endpointZones = resources.Where(r => Type(r) == "AWS::EC2::VPCEndpoint" && (string?)r["Properties"]?["VpcEndpointType"] == "Interface")
                .Sum(r => r["Properties"]?["SubnetIds"]?.AsArray().Count ?? 0);
            Add(lines, stack.Id, "Interface VPC endpoints (per AZ)", endpointZones * PriceTable.HoursPerMonth, "endpoint-AZ-hour", prices, "privatelink.interfaceEndpoint.azHour");
            // Alarms bill per metric they evaluate; a metric-math alarm per metric in its expression.
            var alarmMetrics = resources.Where(r => Type(r) == "AWS::CloudWatch::Alarm")
                .Sum(r => r["Properties"]?["Metrics"] is JsonArray metrics ? metrics.Count(m => m?["MetricStat"] is not null) : 1);
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
                }
            }
        }

        return lines;
    }

    private static (string Type, decimal InstanceHours) Job(JsonNode resources, JsonNode stopping, string typeField, string countField) =>
        ((string)resources[typeField]!, (int)resources[countField]! * (int)stopping["MaxRuntimeInSeconds"]! / 3600m);

    private static void Add(List<CostLine> lines, string stack, string item, decimal quantity, string unit, PriceTable prices, string key)
    {
        if (quantity > 0)
        {
            lines.Add(new CostLine(stack, item, quantity, unit, prices[key], key));
        }
    }

    private static IEnumerable<JsonObject> Resources(JsonObject template) =>
        (template["Resources"]?.AsObject() ?? []).Select(r => r.Value!.AsObject());

    private static IEnumerable<JsonObject> Unconditional(JsonObject template) => Resources(template).Where(r => r["Condition"] is null);

    private static string Type(JsonObject resource) => (string?)resource["Type"] ?? string.Empty;

    // A definition string with its deploy-time values written as placeholders (they never hold the priced numbers).
    private static string Text(JsonNode node) => node switch
    {
        JsonValue value => (string)value!,
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(p => Text(p!))),
        _ => "TOKEN",
    };
}
