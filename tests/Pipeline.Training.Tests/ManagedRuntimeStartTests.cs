using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Training;
using Pipeline.Training.Tests.Support;
using Xunit.Abstractions;
using Pipeline.Testing;

namespace Pipeline.Training.Tests;

/// <summary>
/// A function published once for its test class, as CDK bundles it (linux-arm64), and started once for the invocations
/// its tests hand it, one after another, as Lambda reuses a warm environment: a start under emulation costs seconds
/// of CPU.
/// </summary>
public abstract class PublishedFunction : IDisposable
{
    private FunctionProcess? _running;

    protected PublishedFunction(string assemblyName)
    {
        Package = LambdaPackage.Publish(assemblyName);
    }

    public string Directory => Package.Directory;

    internal LambdaPackage Package { get; }

    /// <summary>The Runtime API the shared process polls.</summary>
    private protected FakeRuntimeApi Api { get; } = new();

    /// <summary>The shared process, started with <paramref name="environment"/> on first use.</summary>
    internal FunctionProcess Running(IReadOnlyDictionary<string, string> environment) =>
        _running ??= Package.Start(Api.HostAndPort, environment);

    /// <summary>Hands the shared process one event; returns its POST and the log lines that invocation wrote.</summary>
    internal async Task<(RecordedRequest Post, IReadOnlyList<string> Lines)> InvokeAsync(
        IReadOnlyDictionary<string, string> environment, FakeEvent invocation, int logLines, TimeSpan wait)
    {
        Api.Enqueue(invocation);
        var function = Running(environment);
        var request = await Api.NextRequestAsync(wait);
        Assert.Equal(("GET", "/2018-06-01/runtime/invocation/next"), (request.Method, request.Path));
        var post = await Api.NextPostAsync(wait);
        // Every log entry carries its invocation's request id, so earlier invocations' lines are left out.
        var deadline = DateTime.UtcNow + wait;
        IReadOnlyList<string> lines;
        while ((lines = OfRequest(function.StandardOutput, invocation.RequestId)).Count < logLines && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return (post, lines);
    }

    private static List<string> OfRequest(IEnumerable<string> lines, string requestId) => [.. lines.Where(line => IsOf(line, requestId))];

    private static bool IsOf(string line, string requestId)
    {
        if (!line.StartsWith('{'))
        {
            return false;
        }

        using var entry = JsonDocument.Parse(line);
        return entry.RootElement.TryGetProperty("requestId", out var id) && id.GetString() == requestId;
    }

    public void Dispose()
    {
        _running?.Dispose();
        Api.Dispose();
        Package.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class PublishedPrepareRun : PublishedFunction
{
    public PublishedPrepareRun()
        : base("Pipeline.PrepareRun")
    {
    }
}

public sealed class PublishedEvaluate : PublishedFunction
{
    public PublishedEvaluate()
        : base("Pipeline.Evaluate")
    {
    }
}

/// <summary>
/// Starts a published function as the managed dotnet10 runtime starts an executable-assembly handler (the linux-arm64
/// package, by the arm64 apphost under qemu-aarch64-static), against a fake Runtime API on 127.0.0.1, with
/// <c>S3_SERVICE_URL</c> at the s3rver instance.
/// </summary>
public abstract class StartTestsBase : IDisposable
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>What every training function's package holds besides its own files: the S3 SDK (with its two
    /// dependencies), the training and schema libraries, the runtime loop; no Amazon.Lambda.* assembly.</summary>
    private static readonly string[] SharedPackageFiles =
    [
        "AWSSDK.Core.dll", "AWSSDK.Extensions.Numerics.dll", "AWSSDK.S3.dll", "Pipeline.Training.dll", "Pipeline.Training.pdb", "Pipeline.Schema.dll", "Pipeline.Schema.pdb",
        "Pipeline.Lambda.Runtime.dll", "Pipeline.Lambda.Runtime.pdb", "Pipeline.Lambda.Storage.dll", "Pipeline.Lambda.Storage.pdb",
        "System.IO.Hashing.dll",
    ];

    private readonly PublishedFunction _published;
    private readonly ITestOutputHelper _output;

    protected StartTestsBase(PublishedFunction published, S3rverServer s3, ITestOutputHelper output)
    {
        _published = published;
        _output = output;
        S3 = s3;
        S3.ClearAsync().GetAwaiter().GetResult();
    }

    protected S3rverServer S3 { get; }

    private protected FakeRuntimeApi Api { get; } = new();

    private protected FunctionProcess? Function { get; private set; }

    public void Dispose()
    {
        Function?.Dispose();
        Api.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts a process of its own, for a test that ends it (an init failure).</summary>
    protected void Start(IReadOnlyDictionary<string, string> variables, string? remove = null)
    {
        var environment = Environment(variables);
        if (remove is not null)
        {
            environment.Remove(remove);
        }

        Arm64Emulation.ReportFallback(_output.WriteLine);

        Function = _published.Package.Start(Api.HostAndPort, environment);
    }

    private Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> variables)
    {
        var environment = new Dictionary<string, string>(variables);
        foreach (var (name, value) in S3.FunctionEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>
    /// Hands one event to the class's started function (started on first use, with <paramref name="variables"/>) and
    /// returns the POST it answers with and the log lines the invocation wrote.
    /// </summary>
    private protected Task<(RecordedRequest Post, IReadOnlyList<string> Lines)> Invoke(
        IReadOnlyDictionary<string, string> variables, string requestId, string json, int logLines = 0)
    {
        Arm64Emulation.ReportFallback(_output.WriteLine);

        return _published.InvokeAsync(Environment(variables), new FakeEvent(requestId, Encoding.UTF8.GetBytes(json)), logLines, Wait);
    }

    /// <summary>The error post: its path, its type (header and body) and a message naming <paramref name="named"/>.</summary>
    private protected static void AssertError(RecordedRequest post, string path, string errorType, params string[] named)
    {
        Assert.Equal(path, post.Path);
        Assert.Equal(errorType, post.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal(errorType, body.RootElement.GetProperty("errorType").GetString());
        Messages.AssertNames(body.RootElement.GetProperty("errorMessage").GetString()!, named);
    }

    protected async Task AssertInitFailsWithoutLakeBucket(IReadOnlyDictionary<string, string> variables)
    {
        Start(variables, remove: "LAKE_BUCKET");

        var post = await Api.NextRequestAsync(Wait);

        Assert.Equal(1, await Function!.WaitForExitAsync(Wait));
        Assert.Equal("POST", post.Method);
        AssertError(post, "/2018-06-01/runtime/init/error", "FormatException", "LAKE_BUCKET");
    }

    protected void AssertNoBuildMachinePath()
    {
        var root = Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(LambdaPublish.RepositoryRoot));

        Assert.All(System.IO.Directory.GetFiles(_published.Directory), file => Assert.True(
            File.ReadAllBytes(file).AsSpan().IndexOf(root) < 0,
            $"{Path.GetFileName(file)} contains the build path {LambdaPublish.RepositoryRoot}."));
    }

    protected static DateTimeOffset ParseTime(byte[] document, string property)
    {
        using var json = JsonDocument.Parse(document);
        return DateTimeOffset.ParseExact(
            json.RootElement.GetProperty(property).GetString()!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    protected void AssertPackage(params string[] functionFiles)
    {
        Assert.Equal(
            SharedPackageFiles.Concat(functionFiles).Order(StringComparer.Ordinal),
            System.IO.Directory.GetFiles(_published.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}

[Collection(S3rverCollection.Name)]
public sealed class PrepareRunStartTests : StartTestsBase, IClassFixture<PublishedPrepareRun>
{
    public PrepareRunStartTests(PublishedPrepareRun published, S3rverServer s3, ITestOutputHelper output)
        : base(published, s3, output)
    {
    }

    [Fact]
    public async Task Start_PlanEvent_WritesTheManifestAndPostsThePlan()
    {
        var (post, lines) = await Invoke(Settings.PrepareRunVariables(), "req-plan", """{"action":"plan","executionName":"telemetry-start-1"}""", logLines: 1);

        Assert.Equal("/2018-06-01/runtime/invocation/req-plan/response", post.Path);
        var (manifest, contentType) = await S3.GetAsync("models/telemetry-start-1/manifest.json");
        var createdAt = ParseTime(manifest, "createdAt");
        Assert.Equal(Settings.ExpectedPlan("telemetry-start-1", createdAt).ManifestJson(), manifest);
        Assert.Equal("application/json", contentType);
        // The same response the function gives in-process at that instant.
        var inProcess = new PrepareRun.Function(Settings.PrepareRunConfiguration(), new RecordingStore(), new FixedClock(createdAt), TextWriter.Null);
        Assert.Equal(
            Payloads.Text(await inProcess.HandleAsync(Payloads.Stream("""{"action":"plan","executionName":"telemetry-start-1"}"""))),
            post.BodyText);
        var log = Assert.Single(lines);
        using var entry = JsonDocument.Parse(log);
        Assert.Equal(
            ("req-plan", "INFO", "training_run_planned", "telemetry-start-1"),
            (entry.RootElement.GetProperty("requestId").GetString(), entry.RootElement.GetProperty("level").GetString(),
             entry.RootElement.GetProperty("event").GetString(), entry.RootElement.GetProperty("runId").GetString()));
    }

    [Fact]
    public async Task Start_UnknownAction_PostsTheInvocationError()
    {
        var (post, _) = await Invoke(Settings.PrepareRunVariables(), "req-bad", """{"action":"train","executionName":"telemetry-start-2"}""");

        AssertError(post, "/2018-06-01/runtime/invocation/req-bad/error", "InvalidEventException", "action", "'train'");
        Assert.False(await S3.ExistsAsync("models/telemetry-start-2/manifest.json"));
    }

    [Fact]
    public async Task Start_WithoutLakeBucket_PostsTheInitErrorAndExitsNonZero()
    {
        await AssertInitFailsWithoutLakeBucket(Settings.PrepareRunVariables());
    }

    [Fact]
    public void Publish_Output_IsTheExecutableTheS3SdkAndNoLambdaPackage()
    {
        AssertPackage(
            "Pipeline.PrepareRun.deps.json", "Pipeline.PrepareRun.dll", "Pipeline.PrepareRun.pdb", "Pipeline.PrepareRun.runtimeconfig.json");
    }

    [Fact]
    public void Publish_Output_ContainsNoBuildMachinePath()
    {
        AssertNoBuildMachinePath();
    }
}

[Collection(S3rverCollection.Name)]
public sealed class EvaluateStartTests : StartTestsBase, IClassFixture<PublishedEvaluate>
{
    public EvaluateStartTests(PublishedEvaluate published, S3rverServer s3, ITestOutputHelper output)
        : base(published, s3, output)
    {
    }

    [Fact]
    public async Task Start_TrainingJobEvent_WritesTheDocumentsAndPostsTheDecision()
    {
        var job = Payloads.Fixture("describe-training-job-completed.json");
        var champion = Payloads.Fixture("describe-model-package-champion.json");
        var json = EvaluateFunctionTests.Event(job, champion);

        var (post, _) = await Invoke(Settings.EvaluateVariables(), "req-evaluate", json);

        Assert.Equal("/2018-06-01/runtime/invocation/req-evaluate/response", post.Path);
        var (report, _) = await S3.GetAsync("models/telemetry-20261129-0300/evaluation.json");
        var evaluatedAt = ParseTime(report, "evaluatedAt");
        var expected = new EvaluationGate(new EvaluationGateOptions { MinimumAuc = 0.8, RegressionTolerance = 0.01 })
            .Evaluate(TrainingJobResult.Parse(job), ChampionModel.Parse(champion), evaluatedAt);
        Assert.Equal(expected.ReportJson(), report);
        Assert.Equal(expected.ModelQualityStatisticsJson(), (await S3.GetAsync("models/telemetry-20261129-0300/model-quality.json")).Content);
        var inProcess = new Evaluate.Function(Settings.EvaluateConfiguration(), new RecordingStore(), new FixedClock(evaluatedAt), TextWriter.Null);
        Assert.Equal(Payloads.Text(await inProcess.HandleAsync(Payloads.Stream(json))), post.BodyText);
    }

    [Fact]
    public async Task Start_EventWithoutRun_PostsTheInvocationError()
    {
        var json = $$"""{"trainingJob":{{Payloads.Fixture("describe-training-job-completed.json")}},"champion":null}""";

        var (post, _) = await Invoke(Settings.EvaluateVariables(), "req-bad", json);

        AssertError(post, "/2018-06-01/runtime/invocation/req-bad/error", "InvalidEventException", "run");
    }

    [Fact]
    public void Publish_Output_IsTheExecutableTheS3SdkAndNoLambdaPackage()
    {
        AssertPackage("Pipeline.Evaluate.deps.json", "Pipeline.Evaluate.dll", "Pipeline.Evaluate.pdb", "Pipeline.Evaluate.runtimeconfig.json");
    }

    [Fact]
    public void Publish_Output_ContainsNoBuildMachinePath()
    {
        AssertNoBuildMachinePath();
    }
}

public sealed class PublishedDrift : PublishedFunction
{
    public PublishedDrift()
        : base("Pipeline.Drift")
    {
    }
}

[Collection(S3rverCollection.Name)]
public sealed class DriftStartTests : StartTestsBase, IClassFixture<PublishedDrift>
{
    public DriftStartTests(PublishedDrift published, S3rverServer s3, ITestOutputHelper output)
        : base(published, s3, output)
    {
    }

    [Fact]
    public async Task Start_PlanEvent_ReadsTheBaselineAndPostsTheWindowStatement()
    {
        using (var client = new Amazon.S3.AmazonS3Client(S3rverServer.Credentials(), S3.Config()))
        {
            await new Lambda.Storage.S3ObjectStore(client).PutAsync(
                S3rverServer.Bucket, DriftFixtures.BaselineKey, Pipeline.Training.Drift.DriftBaselineDocument.Write(DriftFixtures.Baseline), "application/json");
        }

        var json = $$"""{"action":"plan","baseline":"{{DriftFixtures.BaselineUri}}","time":"2026-12-06T19:05:12.345Z","windowEnd":null}""";

        var (post, lines) = await Invoke(DriftFixtures.Variables(), "req-drift-plan", json, logLines: 1);

        Assert.Equal("/2018-06-01/runtime/invocation/req-drift-plan/response", post.Path);
        var sql = DriftFixtures.Sql(DriftFixtures.Baseline, new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero), new(2026, 12, 6, 19, 0, 0, TimeSpan.Zero));
        Assert.Equal(
            $$"""{"sql":"{{JsonEncodedText.Encode(sql, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}}","window":{"start":"2026-12-06T18:00:00Z","end":"2026-12-06T19:00:00Z"},"baselineRun":"{{DriftFixtures.Run}}"}""",
            post.BodyText);
        var log = Assert.Single(lines);
        using var entry = JsonDocument.Parse(log);
        Assert.Equal(
            ("req-drift-plan", "INFO", "drift_window_planned"),
            (entry.RootElement.GetProperty("requestId").GetString(), entry.RootElement.GetProperty("level").GetString(),
             entry.RootElement.GetProperty("event").GetString()));
    }

    [Fact]
    public void Publish_Output_IsTheExecutableTheS3SdkAndNoLambdaPackage()
    {
        AssertPackage("Pipeline.Drift.deps.json", "Pipeline.Drift.dll", "Pipeline.Drift.pdb", "Pipeline.Drift.runtimeconfig.json");
    }

    [Fact]
    public void Publish_Output_ContainsNoBuildMachinePath()
    {
        AssertNoBuildMachinePath();
    }
}
