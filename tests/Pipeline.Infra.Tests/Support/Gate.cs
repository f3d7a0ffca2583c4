using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Support;

/// <summary>The outcome of one run of a node gate (tests/policy-gates/gate.mjs or tests/deploy-gate/deploy-gate.mjs).</summary>
/// <param name="ExitCode">0 pass, 1 findings, 2 tool failure.</param>
/// <param name="Summary">The human-readable summary the gate printed.</param>
/// <param name="Errors">What the gate wrote to stderr.</param>
/// <param name="Report">The JSON report.</param>
public sealed record GateResult(int ExitCode, string Summary, string Errors, JsonObject Report)
{
    /// <summary>A total from the report, e.g. <c>nagErrors</c> or <c>FATAL</c>.</summary>
    public int Total(string name) => (int)Report["totals"]![name]!;

    /// <summary>Entries of one findings list of the policy gate, e.g. <c>nagErrors</c> or <c>controlsFailed</c>.</summary>
    public IReadOnlyList<JsonObject> Findings(string list) =>
        [.. Report["findings"]![list]!.AsArray().Select(f => f!.AsObject())];

    /// <summary>Entries of one per-template list of the deploy gate (e.g. <c>blocking</c>, <c>runtimes</c>), over all templates.</summary>
    public IReadOnlyList<JsonObject> PerTemplate(string list) =>
        [.. Report["templates"]!.AsArray().SelectMany(t => t![list]!.AsArray()).Select(f => f!.AsObject())];
}

/// <summary>
/// Runs the node gates with the pinned tools in node_modules: the policy gate (cdk-nag AwsSolutions + Serverless, AWS
/// Control Tower proactive controls), the deployability gate (AWS's offline CloudFormation validator, Lambda runtime
/// table) and the rehearsal gate (the workflows executed against API-model mocks, with permission coverage). Each is a
/// separate node process, so callers start them together and wait once.
/// </summary>
public static class Gate
{
    /// <summary>The policy gate script.</summary>
    public static string PolicyGateScript => RepositoryPaths.Combine("tests", "policy-gates", "gate.mjs");

    /// <summary>The deployability gate script.</summary>
    public static string DeployGateScript => RepositoryPaths.Combine("tests", "deploy-gate", "deploy-gate.mjs");

    /// <summary>The rehearsal gate script: every workflow run in an ASL interpreter against AWS-shaped mocks.</summary>
    public static string RehearsalGateScript => RepositoryPaths.Combine("tests", "rehearsal", "rehearse.mjs");

    /// <summary>Where the summary and report of a gate's run over the app templates are written, for CI logs.</summary>
    public static string ResultsDirectory(string gate) => RepositoryPaths.Combine("TestResults", gate);

    /// <summary>Runs a gate script over template files.</summary>
    public static async Task<GateResult> RunAsync(string script, IEnumerable<string> templateFiles)
    {
        if (!Directory.Exists(RepositoryPaths.Combine("node_modules", "cdk-nag")))
        {
            Assert.Fail("The gates need the pinned npm tools: run `npm ci` in the repository root first.");
        }

        var workDirectory = Directory.CreateTempSubdirectory("pipeline-gate-").FullName;
        var reportFile = Path.Combine(workDirectory, "report.json");
        var start = new ProcessStartInfo("node", [script, "--report", reportFile, .. templateFiles])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.True(File.Exists(reportFile), $"{Path.GetFileName(script)} wrote no report. stderr:{Environment.NewLine}{await stderr}");
        var report = JsonNode.Parse(await File.ReadAllTextAsync(reportFile))!.AsObject();
        Directory.Delete(workDirectory, recursive: true);
        return new GateResult(process.ExitCode, await stdout, await stderr, report);
    }
}

/// <summary>The three gates run once, concurrently, over every template of every preset; shared by the gate test classes.</summary>
public sealed class AppGateRuns
{
    private AppGateRuns(GateResult policy, GateResult deploy, GateResult rehearsal)
    {
        Policy = policy;
        Deploy = deploy;
        Rehearsal = rehearsal;
    }

    /// <summary>The policy gate's result.</summary>
    public GateResult Policy { get; }

    /// <summary>The deployability gate's result.</summary>
    public GateResult Deploy { get; }

    /// <summary>The rehearsal gate's result.</summary>
    public GateResult Rehearsal { get; }

    /// <summary>Runs both gates over the templates and writes their summaries under TestResults/.</summary>
    public static AppGateRuns Run(IReadOnlyList<string> templateFiles)
    {
        var policy = Gate.RunAsync(Gate.PolicyGateScript, templateFiles);
        var deploy = Gate.RunAsync(Gate.DeployGateScript, templateFiles);
        var rehearsal = Gate.RunAsync(Gate.RehearsalGateScript, templateFiles);
        Task.WaitAll(policy, deploy, rehearsal);
        Save("policy-gate", policy.Result);
        Save("deploy-gate", deploy.Result);
        Save("rehearsal-gate", rehearsal.Result);
        return new AppGateRuns(policy.Result, deploy.Result, rehearsal.Result);
    }

    private static void Save(string gate, GateResult result)
    {
        var directory = Gate.ResultsDirectory(gate);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "summary.txt"), result.Summary);
        File.WriteAllText(Path.Combine(directory, "report.json"), result.Report.ToJsonString());
    }
}
