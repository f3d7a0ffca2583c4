using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// The program that runs a package's executable assembly, and the variables it needs besides Lambda's: the managed
/// runtime's <c>dotnet exec /var/task/&lt;handler&gt;.dll</c>, or an apphost bound to that dll (the same host
/// resolution and the same deps.json and runtimeconfig.json) run by an emulator.
/// </summary>
public sealed record FunctionLaunch(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary><c>dotnet exec &lt;task root&gt;/&lt;assembly&gt;.dll</c> with this machine's <c>dotnet</c>.</summary>
    public static FunctionLaunch DotnetExec(string publishDirectory, string assemblyName) =>
        new("dotnet", ["exec", Path.Combine(publishDirectory, assemblyName + ".dll")], new Dictionary<string, string>());
}

/// <summary>
/// A published function started exactly as the managed <c>dotnet10</c> runtime starts an executable-assembly handler
/// (<c>dotnet exec /var/task/&lt;handler&gt;.dll</c>, or its <see cref="FunctionLaunch"/>; working directory the task
/// root), with the variables Lambda sets, against a Runtime API at <c>127.0.0.1:port</c>. Standard output is collected line by line. Disposing kills
/// the process (it waits for its next invocation forever).
/// </summary>
public sealed class FunctionProcess : IDisposable
{
    public const string FunctionName = "mlpipe-sandbox-transform";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    /// <summary>Starts the package with this machine's <c>dotnet exec</c> (it must be built for this machine).</summary>
    public FunctionProcess(string publishDirectory, string assemblyName, string runtimeApi, IReadOnlyDictionary<string, string>? extraEnvironment = null)
        : this(FunctionLaunch.DotnetExec(publishDirectory, assemblyName), publishDirectory, assemblyName, runtimeApi, extraEnvironment)
    {
    }

    /// <summary>Starts the package with <paramref name="launch"/>.</summary>
    public FunctionProcess(FunctionLaunch launch, string publishDirectory, string assemblyName, string runtimeApi, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var start = new ProcessStartInfo(launch.FileName, launch.Arguments)
        {
            WorkingDirectory = publishDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = start.Environment;
        environment.Remove("_X_AMZN_TRACE_ID");
        environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        environment["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName;
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024";
        environment["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
        environment["AWS_LAMBDA_LOG_LEVEL"] = "INFO";
        environment["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + FunctionName;
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = "2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef";
        environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
        environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_dotnet10";
        environment["AWS_REGION"] = "us-east-1";
        environment["AWS_DEFAULT_REGION"] = "us-east-1";
        environment["LAMBDA_TASK_ROOT"] = publishDirectory;
        environment["_HANDLER"] = assemblyName;
        environment["TZ"] = ":UTC";
        foreach (var (name, value) in launch.Environment.Concat(extraEnvironment ?? new Dictionary<string, string>()))
        {
            environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    /// <summary>
    /// The files the process has mapped (from <c>/proc/&lt;pid&gt;/maps</c>): under user-mode emulation the guest's
    /// mappings are the emulator's, so this shows which runtime and which assemblies the function really loaded.
    /// </summary>
    public IReadOnlyList<string> MappedFiles() =>
    [
        .. File.ReadLines($"/proc/{_process.Id}/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[5].StartsWith('/'))
            .Select(fields => fields[5])
            .Distinct(StringComparer.Ordinal),
    ];

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until standard output holds at least <paramref name="count"/> lines (it is read asynchronously).</summary>
    public async Task<IReadOnlyList<string>> WaitForOutputLinesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_stdout.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return StandardOutput;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}

/// <summary>
/// What starting a linux-arm64 package on this x64 machine takes: <c>qemu-aarch64-static</c> (user-mode emulation),
/// the arm64 libraries the runtime loads, and a DOTNET_ROOT with the arm64 host and framework, laid out from the
/// runtime pack that publishing for linux-arm64 restores. No arm64 <c>dotnet</c> program ships in any package, so the
/// arm64 apphost stands in for it (<see cref="Bind"/>). Decided once per test run (<see cref="Current"/>): what is
/// missing is installed with apt-get when the tests run as root; otherwise the start-up tests fall back to a package
/// for this machine and <see cref="FallbackNotice"/> says why. An arm64 machine needs none of it.
/// </summary>
public sealed class Arm64Emulation
{
    /// <summary>The placeholder an unbound apphost holds where the app's dll path goes: SHA-256 of "foobar", in hex.</summary>
    private static readonly byte[] AppHostPlaceholder = "c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"u8.ToArray();

    /// <summary>The Debian packages, each with a file that shows it is installed.</summary>
    private static readonly (string Package, string File)[] Requirements =
    [
        ("qemu-user-static", "qemu-aarch64-static"),
        ("libc6:arm64", "ld-linux-aarch64.so.1"),
        ("libstdc++6:arm64", "libstdc++.so.6"),
        ("libgcc-s1:arm64", "libgcc_s.so.1"),
        ("libssl3:arm64", "libssl.so.3"),
        ("libicu72:arm64", "libicuuc.so.72"),
    ];

    private static readonly Lazy<(Arm64Emulation? Emulation, string? Notice)> Decision = new(Decide);

    private static int _noticeTaken;

    private readonly Lazy<string> _dotnetRoot = new(LayOutDotnetRoot);

    private Arm64Emulation(string emulator)
    {
        Emulator = emulator;
    }

    /// <summary>The emulation; null on an arm64 machine, and when the start-up tests fall back.</summary>
    public static Arm64Emulation? Current => Decision.Value.Emulation;

    /// <summary>One line saying that and why the start-up tests fall back; null when they start the arm64 package.</summary>
    public static string? FallbackNotice => Decision.Value.Notice;

    /// <summary>Whether the start-up tests start linux-arm64 packages (under emulation, or natively).</summary>
    public static bool StartsArm64 => FallbackNotice is null;

    /// <summary>The path of <c>qemu-aarch64-static</c>.</summary>
    public string Emulator { get; }

    /// <summary>
    /// <see cref="FallbackNotice"/> for the first caller of the test run, null for every other: the tests write it to
    /// their output, so a fallback is said once and never silently.
    /// </summary>
    public static string? TakeFallbackNotice() =>
        FallbackNotice is { } notice && Interlocked.Exchange(ref _noticeTaken, 1) == 0 ? notice : null;

    /// <summary>Hands <see cref="TakeFallbackNotice"/> to <paramref name="write"/> (a test's output) when there is one.</summary>
    public static void ReportFallback(Action<string> write)
    {
        if (TakeFallbackNotice() is { } notice)
        {
            write(notice);
        }
    }

    /// <summary>
    /// Writes the arm64 apphost bound to <paramref name="dllPathFromLauncher"/> (relative to the launcher's folder,
    /// as the SDK binds it) at <paramref name="launcherPath"/>, and returns how to start it: the emulator runs the
    /// apphost, which finds the arm64 host and framework through DOTNET_ROOT.
    /// </summary>
    public FunctionLaunch Bind(string launcherPath, string dllPathFromLauncher)
    {
        var (_, _, hostPack) = Packs();
        var apphost = File.ReadAllBytes(Path.Combine(hostPack, "runtimes", "linux-arm64", "native", "apphost"));
        var at = apphost.AsSpan().IndexOf(AppHostPlaceholder);
        var path = Encoding.UTF8.GetBytes(dllPathFromLauncher);
        if (at < 0 || apphost.AsSpan(at + 1).IndexOf(AppHostPlaceholder) >= 0 || path.Length > AppHostPlaceholder.Length)
        {
            throw new InvalidOperationException($"Cannot bind {hostPack}'s apphost to {dllPathFromLauncher}: one placeholder and at most 64 bytes expected.");
        }

        // The path, NUL-padded to the placeholder's length, as the SDK's HostWriter writes it.
        apphost.AsSpan(at, AppHostPlaceholder.Length).Clear();
        path.CopyTo(apphost, at);
        Directory.CreateDirectory(Path.GetDirectoryName(launcherPath)!);
        File.WriteAllBytes(launcherPath, apphost);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(launcherPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ROOT"] = _dotnetRoot.Value,
            // An arm64 host reads DOTNET_ROOT_ARM64 before DOTNET_ROOT; empty, it is skipped, whatever the tests inherited.
            ["DOTNET_ROOT_ARM64"] = string.Empty,
        };
        return new FunctionLaunch(Emulator, [launcherPath], environment);
    }

    private static (Arm64Emulation?, string?) Decide()
    {
        if (RuntimeInformation.OSArchitecture == Architecture.Arm64)
        {
            return (null, null);
        }

        var missing = Missing();
        if (missing.Count > 0)
        {
            if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/apt-get"))
            {
                return (null, Notice($"{string.Join(", ", missing)} missing, and the tests {(Environment.IsPrivilegedProcess ? "have no apt-get" : "do not run as root")} to install them"));
            }

            // Test assemblies run in parallel: one installs, the others find it done.
            using var installing = MachineLock("pipeline-arm64-emulation.lock");
            missing = Missing();
            if (missing.Count > 0 && Install(missing) is { } failure)
            {
                return (null, Notice(failure));
            }

            missing = Missing();
            if (missing.Count > 0)
            {
                return (null, Notice($"{string.Join(", ", missing)} still missing after apt-get install"));
            }
        }

        return (new Arm64Emulation(FindOnPath("qemu-aarch64-static")!), null);
    }

    private static string Notice(string reason) =>
        $"Start-up tests start a {LambdaPublish.HostRuntimeIdentifier} stand-in with dotnet exec, not the linux-arm64 package Lambda runs: {reason}.";

    private static List<string> Missing() =>
    [
        .. Requirements
            .Where(r => r.Package == "qemu-user-static"
                ? FindOnPath(r.File) is null
                : !File.Exists(Path.Combine("/lib/aarch64-linux-gnu", r.File)) && !File.Exists(Path.Combine("/usr/lib/aarch64-linux-gnu", r.File)))
            .Select(r => r.Package),
    ];

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Installs the packages with apt-get; returns why that failed, or null.</summary>
    private static string? Install(IReadOnlyList<string> packages)
    {
        var foreign = Run("dpkg", ["--print-foreign-architectures"]);
        if (!foreign.Output.Split('\n').Contains("arm64") && Run("dpkg", ["--add-architecture", "arm64"]) is { ExitCode: not 0 } added)
        {
            return $"dpkg --add-architecture arm64 failed ({added.ExitCode}): {added.LastError}";
        }

        if (Run("apt-get", ["update", "-qq"]) is { ExitCode: not 0 } update)
        {
            return $"apt-get update failed ({update.ExitCode}): {update.LastError}";
        }

        var install = Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. packages]);
        return install.ExitCode == 0 ? null : $"apt-get install {string.Join(' ', packages)} failed ({install.ExitCode}): {install.LastError}";
    }

    private static (int ExitCode, string Output, string LastError) Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        var lastError = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no error output";
        return (process.ExitCode, stdout.Result, lastError);
    }

    /// <summary>
    /// The arm64 runtime pack (host and framework), its version, and the arm64 apphost pack of the same version,
    /// in the NuGet package folder: restored by publishing for linux-arm64 (the Lambda projects list the RID).
    /// </summary>
    private static (string Version, string RuntimePack, string HostPack) Packs()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var runtimePacks = Path.Combine(packages, "microsoft.netcore.app.runtime.linux-arm64");
        var hostPacks = Path.Combine(packages, "microsoft.netcore.app.host.linux-arm64");
        var version = (Directory.Exists(runtimePacks) ? Directory.GetDirectories(runtimePacks) : [])
            .Select(Path.GetFileName)
            .Where(v => Version.TryParse(v, out var parsed) && parsed.Major == Environment.Version.Major && Directory.Exists(Path.Combine(hostPacks, v!)))
            .MaxBy(v => Version.Parse(v!))
            ?? throw new InvalidOperationException(
                $"No .NET {Environment.Version.Major} linux-arm64 runtime and apphost packs in {packages}: publish a Lambda project for linux-arm64 first.");
        return (version, Path.Combine(runtimePacks, version), Path.Combine(hostPacks, version));
    }

    /// <summary>
    /// A DOTNET_ROOT for the arm64 apphost, laid out once per machine and pack version under the temporary folder:
    /// <c>host/fxr/&lt;v&gt;/libhostfxr.so</c> and <c>shared/Microsoft.NETCore.App/&lt;v&gt;/</c> (the framework's
    /// assemblies and native libraries). Built beside it and renamed, so a parallel test run never sees half of it.
    /// </summary>
    private static string LayOutDotnetRoot()
    {
        var (version, runtimePack, _) = Packs();
        var root = Path.Combine(Path.GetTempPath(), $"pipeline-dotnet-linux-arm64-{version}");
        if (Directory.Exists(root))
        {
            return root;
        }

        var building = Directory.CreateTempSubdirectory("pipeline-dotnet-linux-arm64-building-").FullName;
        var pack = Path.Combine(runtimePack, "runtimes", "linux-arm64");
        var fxr = Directory.CreateDirectory(Path.Combine(building, "host", "fxr", version)).FullName;
        File.Copy(Path.Combine(pack, "native", "libhostfxr.so"), Path.Combine(fxr, "libhostfxr.so"));
        var framework = Directory.CreateDirectory(Path.Combine(building, "shared", "Microsoft.NETCore.App", version)).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(pack, "native")).Concat(Directory.GetDirectories(Path.Combine(pack, "lib")).SelectMany(Directory.GetFiles)))
        {
            File.Copy(file, Path.Combine(framework, Path.GetFileName(file)));
        }

        try
        {
            Directory.Move(building, root);
        }
        catch (IOException) when (Directory.Exists(root))
        {
            // Another test run laid it out first.
            Directory.Delete(building, recursive: true);
        }

        return root;
    }

    /// <summary>An exclusive lock across processes (flock on a file under the temporary folder), held until disposed.</summary>
    private static FileStream MachineLock(string name)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Path.GetTempPath(), name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}
