using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Support;

/// <summary>The outcome of one run of tests/policy-gates/gate.mjs.</summary>
/// <param name="ExitCode">0 pass, 1 findings, 2 tool failure.</param>
/// <param name="Summary">The human-readable summary the gate printed.</param>
/// <param name="Errors">What the gate wrote to stderr.</param>
/// <param name="Report">The JSON report.</param>
public sealed record PolicyGateResult(int ExitCode, string Summary, string Errors, JsonObject Report)
{
    /// <summary>A total from the report, e.g. <c>nagErrors</c>.</summary>
    public int Total(string name) => (int)Report["totals"]![name]!;

    /// <summary>Entries of one findings list, e.g. <c>nagErrors</c> or <c>controlsFailed</c>.</summary>
    public IReadOnlyList<JsonObject> Findings(string list) =>
        [.. Report["findings"]![list]!.AsArray().Select(f => f!.AsObject())];
}

/// <summary>
/// Runs the policy gate (cdk-nag AwsSolutions + Serverless through CfnInclude, and the AWS Control Tower proactive
/// controls through cfn-guard) with the pinned tools in node_modules.
/// </summary>
public static class PolicyGate
{
    /// <summary>Where the last gate summary and report of the app templates are written, for CI logs.</summary>
    public static string ResultsDirectory => RepositoryPaths.Combine("TestResults", "policy-gate");

    /// <summary>Runs the gate over template files.</summary>
    public static PolicyGateResult Run(IEnumerable<string> templateFiles)
    {
        var script = RepositoryPaths.Combine("tests", "policy-gates", "gate.mjs");
        if (!Directory.Exists(RepositoryPaths.Combine("node_modules", "cdk-nag")))
        {
            Assert.Fail("The policy gate needs the pinned npm tools: run `npm ci` in the repository root first.");
        }

        var reportFile = Path.Combine(Directory.CreateTempSubdirectory("pipeline-gate-").FullName, "report.json");
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
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "The policy gate did not finish within five minutes.");
        Assert.True(File.Exists(reportFile), $"The policy gate wrote no report. stderr:{Environment.NewLine}{stderr.Result}");
        var report = JsonNode.Parse(File.ReadAllText(reportFile))!.AsObject();
        Directory.Delete(Path.GetDirectoryName(reportFile)!, recursive: true);
        return new PolicyGateResult(process.ExitCode, stdout.Result, stderr.Result, report);
    }
}
