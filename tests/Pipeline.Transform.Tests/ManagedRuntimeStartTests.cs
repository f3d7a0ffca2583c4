using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;
using Xunit.Abstractions;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests;

/// <summary>
/// The transform function, published once for the whole class as CDK bundles it (linux-arm64), started once and handed
/// the invocation scenarios one after another, as Lambda reuses a warm environment; the tests share what each answered
/// with: a start under emulation costs seconds of CPU.
/// </summary>
public sealed class PublishedTransformFunction : IDisposable
{
    private readonly Lazy<Task<IReadOnlyList<InvocationRun>>> _runs;

    public PublishedTransformFunction() =>
        _runs = new(() => InvocationRun.RunAsync(
            Package,
            new Invocation(new FakeEvent("req-valid", FirehoseEvents.Load("valid-batch.json")), Posts: 1, LogLines: 1),
            new Invocation(new FakeEvent("req-bad", FirehoseEvents.Load("envelope-no-records.json")), Posts: 1, LogLines: 2),
            new Invocation(new FakeEvent("req-big", FirehoseEvents.Load("valid-batch.json")), Posts: 2, LogLines: 0, RefuseResponses: true)));

    internal LambdaPackage Package { get; } = LambdaPackage.Publish("Pipeline.Transform");

    public string Directory => Package.Directory;

    /// <summary>The valid batch, answered first.</summary>
    internal Task<InvocationRun> ValidRun => RunAt(0);

    /// <summary>An event without records, answered after the valid batch.</summary>
    internal Task<InvocationRun> MalformedRun => RunAt(1);

    /// <summary>The valid batch again, its response refused as too large by the Runtime API, answered last.</summary>
    internal Task<InvocationRun> RefusedRun => RunAt(2);

    public void Dispose() => Package.Dispose();

    private async Task<InvocationRun> RunAt(int index) => (await _runs.Value)[index];
}

/// <summary>
/// A fact about the linux-arm64 package started under emulation: skipped when the start-up tests fall back to the
/// linux-x64 stand-in, for there is no arm64 process to look at then.
/// </summary>
public sealed class Arm64FactAttribute : FactAttribute
{
    public override string? Skip =>
        Arm64Emulation.StartsArm64 ? null : "No arm64 emulation here: the start-up tests start a package for this machine (their output says why).";
}

/// <summary>
/// The proof that the function starts on the managed runtime: the published linux-arm64 package, started as the
/// dotnet10 bootstrap starts an executable-assembly handler (the arm64 apphost under qemu-aarch64-static), against a
/// fake Runtime API on 127.0.0.1.
/// </summary>
public sealed class ManagedRuntimeStartTests : IClassFixture<PublishedTransformFunction>
{
    private readonly PublishedTransformFunction _published;
    private readonly ITestOutputHelper _output;

    public ManagedRuntimeStartTests(PublishedTransformFunction published, ITestOutputHelper output)
    {
        _published = published;
        _output = output;
    }

    /// <summary>A shared scenario run, after the one line that says whether it ran under emulation.</summary>
    private async Task<InvocationRun> Run(Task<InvocationRun> run)
    {
        Arm64Emulation.ReportFallback(_output.WriteLine);

        var result = await run;
        Assert.Equal(("GET", "/2018-06-01/runtime/invocation/next"), (result.First.Method, result.First.Path));
        return result;
    }

    private static async Task<string> MessageOf(string eventFile)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(
            async () => await new Function(TimeProvider.System, TextWriter.Null).Handle(new MemoryStream(FirehoseEvents.Load(eventFile))));
        return ex.Message;
    }

    [Fact]
    public async Task Start_ValidFirehoseEvent_PostsTheTransformedResponse()
    {
        var input = FirehoseEvents.Load("valid-batch.json");

        var post = Assert.Single((await Run(_published.ValidRun)).Posts);

        Assert.Equal("/2018-06-01/runtime/invocation/req-valid/response", post.Path);
        Assert.Equal(TransformRun.Of(input).Output, post.Body);
        Assert.Equal(post.Body.Length.ToString(CultureInfo.InvariantCulture), post.Header("Content-Length"));
    }

    [Fact]
    public async Task Start_AfterAResponse_AsksForTheNextInvocation()
    {
        var next = (await Run(_published.ValidRun)).Next;

        Assert.Equal(("GET", "/2018-06-01/runtime/invocation/next"), (next.Method, next.Path));
    }

    [Fact]
    public async Task Start_ValidFirehoseEvent_LogsTheSummaryAsAJsonEntryWithLambdaFields()
    {
        var line = Assert.Single((await Run(_published.ValidRun)).Lines);
        using var entry = JsonDocument.Parse(line);
        var root = entry.RootElement;
        Assert.Equal(
            ["timestamp", "requestId", "traceId", "level", "message", "event", "invocationId", "deliveryStreamArn", "records",
             "ok", "failed", "bytesIn", "bytesOut", "failuresByCode", "rejectionLinesWritten", "rejectionLinesOmitted", "elapsedMs"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.True(
            DateTimeOffset.TryParseExact(root.GetProperty("timestamp").GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
            $"timestamp is not RFC 3339 UTC with milliseconds: {line}");
        Assert.Equal(
            ("req-valid", FakeEvent.DefaultTraceId, "INFO", "Firehose batch transformed.", "firehose_transform_summary", 3),
            (root.GetProperty("requestId").GetString(), root.GetProperty("traceId").GetString(), root.GetProperty("level").GetString(),
             root.GetProperty("message").GetString(), root.GetProperty("event").GetString(), root.GetProperty("ok").GetInt32()));
    }

    [Fact]
    public async Task Start_ValidFirehoseEvent_NeverLoadsRegularExpressions()
    {
        // The validator's rules are constants, so the function builds no RecordSchema (its pattern check compiles a Regex).
        var mapped = (await Run(_published.ValidRun)).Mapped;

        Assert.Contains(mapped, file => Path.GetFileName(file) == "System.Text.Json.dll");
        Assert.DoesNotContain(mapped, file => Path.GetFileName(file) == "System.Text.RegularExpressions.dll");
    }

    [Fact]
    public async Task Start_MalformedEvent_PostsTheInvocationErrorWithItsType()
    {
        var post = Assert.Single((await Run(_published.MalformedRun)).Posts);

        Assert.Equal("/2018-06-01/runtime/invocation/req-bad/error", post.Path);
        Assert.Equal("FirehoseEventException", post.Header("Lambda-Runtime-Function-Error-Type"));
        Assert.Equal("application/vnd.aws.lambda.error+json", post.Header("Content-Type"));
        using var body = JsonDocument.Parse(post.Body);
        var root = body.RootElement;
        Assert.Equal(["errorMessage", "errorType", "stackTrace"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(await MessageOf("envelope-no-records.json"), root.GetProperty("errorMessage").GetString());
        Assert.Equal("FirehoseEventException", root.GetProperty("errorType").GetString());
        var top = root.GetProperty("stackTrace")[0].GetString()!;
        Assert.StartsWith("at Pipeline.Ingestion.FirehoseTransformer.", top, StringComparison.Ordinal);
        // Line numbers from the published .pdb, with the source path mapped away from the build machine.
        Assert.Contains(" in /_/src/Pipeline.Ingestion/FirehoseTransformer.cs:line ", top, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MalformedEvent_LogsTheFailureTwiceAsErrorEntries()
    {
        var lines = (await Run(_published.MalformedRun)).Lines;

        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(("ERROR", "req-bad"), (e.GetProperty("level").GetString(), e.GetProperty("requestId").GetString())));
        // The function's own line (what failed), then the runtime's (what was posted, with the stack trace).
        Assert.Equal("firehose_transform_failed", entries[0].GetProperty("event").GetString());
        Assert.Equal("Invocation failed: " + await MessageOf("envelope-no-records.json"), entries[1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Start_ResponseRefusedAsTooLarge_PostsAnInvocationError()
    {
        var input = FirehoseEvents.Load("valid-batch.json");

        var posts = (await Run(_published.RefusedRun)).Posts;

        Assert.Equal("/2018-06-01/runtime/invocation/req-big/response", posts[0].Path);
        Assert.Equal("/2018-06-01/runtime/invocation/req-big/error", posts[1].Path);
        Assert.Equal("Function.ResponseSizeTooLarge", posts[1].Header("Lambda-Runtime-Function-Error-Type"));
        Assert.Equal(
            $"{{\"errorMessage\":\"The Runtime API refused the {TransformRun.Of(input).Output.Length}-byte response as too large (413): " +
            "Response payload size exceeded maximum allowed payload size (6291556 bytes).\"," +
            "\"errorType\":\"Function.ResponseSizeTooLarge\",\"stackTrace\":[]}",
            posts[1].BodyText);
    }

    [Arm64Fact]
    public async Task Start_Package_RunsOnTheArm64Runtime()
    {
        // The functions do not report their architecture, so the process's mappings tell: the package's own dll, and
        // only arm64 native code (the apphost, host, coreclr, libc) besides the emulator itself.
        var mapped = (await Run(_published.ValidRun)).Mapped;

        var native = mapped
            .Where(file => Path.GetFileName(file) != Path.GetFileName(_published.Package.Launcher) && PackageImage.IsElf(file))
            .ToList();
        Assert.Contains(_published.Package.AssemblyPath, mapped);
        Assert.Contains(native, file => Path.GetFileName(file) == "libcoreclr.so");
        Assert.Equal(
            native.Select(file => (file, PackageImage.ElfMachineAArch64)),
            native.Select(file => (file, PackageImage.ElfMachine(file))));
    }

    [Arm64Fact]
    public void Publish_Output_IsLinuxArm64ReadyToRun()
    {
        var assemblies = Directory.GetFiles(_published.Directory, "*.dll").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            assemblies.Select(dll => (Path.GetFileName(dll), PackageImage.LinuxArm64ReadyToRun)),
            assemblies.Select(dll => (Path.GetFileName(dll), PackageImage.Describe(dll))));
    }

    [Fact]
    public void Publish_Output_IsTheFrameworkDependentExecutableAndItsLibraries()
    {
        Assert.Equal(
            [
                "Pipeline.Ingestion.dll", "Pipeline.Ingestion.pdb", "Pipeline.Lambda.Runtime.dll", "Pipeline.Lambda.Runtime.pdb",
                "Pipeline.Schema.dll", "Pipeline.Schema.pdb",
                "Pipeline.Transform.deps.json", "Pipeline.Transform.dll", "Pipeline.Transform.pdb",
                "Pipeline.Transform.runtimeconfig.json",
            ],
            Directory.GetFiles(_published.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Publish_Output_ContainsNoBuildMachinePath()
    {
        var root = Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(LambdaPublish.RepositoryRoot));

        Assert.All(Directory.GetFiles(_published.Directory), file => Assert.True(
            File.ReadAllBytes(file).AsSpan().IndexOf(root) < 0,
            $"{Path.GetFileName(file)} contains the build path {LambdaPublish.RepositoryRoot}."));
    }
}

/// <summary>The check every emulated start relies on refuses what Lambda's arm64 runtime would not run.</summary>
public sealed class Arm64CheckTests
{
    [Fact]
    public void Arm64Refusal_X64ReadyToRunImage_Refused()
    {
        // This machine's own framework: linux-x64 ReadyToRun images, as an x64 publish of the function would hold.
        var coreLibrary = typeof(object).Assembly.Location;

        Assert.Equal(
            "System.Private.CoreLib.dll is a linux-x64 ReadyToRun image, not linux-arm64 ReadyToRun.",
            PackageImage.Arm64Refusal(coreLibrary));
    }

    [Fact]
    public void Arm64Refusal_BuildOutput_RefusesItAsILOnly()
    {
        // The test project's own copy of the function: built, not published, so no native code.
        Assert.Equal(
            "Pipeline.Transform.dll is IL only, not linux-arm64 ReadyToRun.",
            PackageImage.Arm64Refusal(typeof(Function).Assembly.Location));
    }
}
