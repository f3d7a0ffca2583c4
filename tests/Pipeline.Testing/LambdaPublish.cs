using System.Buffers.Binary;
using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using Pipeline.Infra.Constructs.Functions;

namespace Pipeline.Testing;

/// <summary>
/// Publishes a Lambda project with CDK's local bundling's command (<see cref="DotnetPublishCommand"/>): for a given
/// runtime, or for this machine's architecture so that the ReadyToRun code runs here with <c>dotnet exec</c> (an arm64
/// image does not load on x64).
/// </summary>
public static class LambdaPublish
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string RepositoryRoot => Root.Value;

    /// <summary>linux-x64 or linux-arm64: the Lambda target matching this machine.</summary>
    public static string HostRuntimeIdentifier => "linux-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>Publishes the project at <paramref name="projectPath"/> (relative to the repository) for this machine into a new temporary folder.</summary>
    public static string Publish(string projectPath, string tempPrefix) => Publish(projectPath, tempPrefix, HostRuntimeIdentifier);

    /// <summary>Publishes the project at <paramref name="projectPath"/> for <paramref name="runtimeIdentifier"/> into a new temporary folder.</summary>
    public static string Publish(string projectPath, string tempPrefix, string runtimeIdentifier)
    {
        var output = Directory.CreateTempSubdirectory(tempPrefix).FullName;
        try
        {
            PublishInto(projectPath, runtimeIdentifier, output);
        }
        catch
        {
            Directory.Delete(output, recursive: true);
            throw;
        }

        return output;
    }

    /// <summary>Publishes the project at <paramref name="projectPath"/> for <paramref name="runtimeIdentifier"/> into <paramref name="output"/>.</summary>
    public static void PublishInto(string projectPath, string runtimeIdentifier, string output)
    {
        var start = new ProcessStartInfo("dotnet", DotnetPublishCommand.Arguments(Path.Combine(RepositoryRoot, projectPath), RepositoryRoot, runtimeIdentifier, output))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publishing = PublishLock.Acquire();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start `dotnet publish`.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet publish {projectPath}` failed ({process.ExitCode}):\n{stdout.Result}{stderr.Result}");
        }
    }
}

/// <summary>
/// A function's package as CloudFormation uploads it, published once by a test fixture, and how the start-up tests
/// start it: for linux-arm64 (DotnetFunction's Architecture.ARM_64), by the arm64 apphost under qemu as the managed
/// runtime starts it on Graviton (with <c>dotnet exec</c> on an arm64 machine); or, when <see cref="Arm64Emulation"/>
/// is not available, for this machine with <c>dotnet exec</c>. Laid out as <c>task/</c> (the package, Lambda's
/// <c>/var/task</c>) and <c>host/</c> (the apphost, outside the package). Disposing deletes both.
/// </summary>
public sealed class LambdaPackage : IDisposable
{
    /// <summary>The functions' architecture as a runtime identifier: DotnetFunction sets Architecture.ARM_64.</summary>
    public const string LambdaRuntimeIdentifier = "linux-arm64";

    private readonly string _root;
    private readonly FunctionLaunch _launch;

    private LambdaPackage(string root, string assemblyName, FunctionLaunch launch)
    {
        _root = root;
        AssemblyName = assemblyName;
        _launch = launch;
    }

    /// <summary>The package's folder (the task root).</summary>
    public string Directory => Path.Combine(_root, "task");

    public string AssemblyName { get; }

    /// <summary>The executable assembly, <c>&lt;task root&gt;/&lt;assembly&gt;.dll</c>.</summary>
    public string AssemblyPath => Path.Combine(Directory, AssemblyName + ".dll");

    /// <summary>The program that starts the package: the emulator, or <c>dotnet</c>.</summary>
    public string Launcher => _launch.FileName;

    /// <summary>Publishes <c>lambdas/&lt;assembly&gt;/&lt;assembly&gt;.csproj</c> for the start-up tests.</summary>
    public static LambdaPackage Publish(string assemblyName)
    {
        var projectPath = $"lambdas/{assemblyName}/{assemblyName}.csproj";
        var runtimeIdentifier = Arm64Emulation.StartsArm64 ? LambdaRuntimeIdentifier : LambdaPublish.HostRuntimeIdentifier;
        var root = System.IO.Directory.CreateTempSubdirectory(assemblyName.ToLowerInvariant() + "-package-").FullName;
        try
        {
            var task = Path.Combine(root, "task");
            LambdaPublish.PublishInto(projectPath, runtimeIdentifier, task);
            // Never start anything but the image Lambda runs, unless the tests said they fall back.
            if (Arm64Emulation.StartsArm64 && PackageImage.Arm64Refusal(Path.Combine(task, assemblyName + ".dll")) is { } refusal)
            {
                throw new InvalidOperationException(refusal);
            }

            // The apphost lives beside the package, not in it, so that task/ holds exactly what is uploaded.
            var launch = Arm64Emulation.Current is { } emulation
                ? emulation.Bind(Path.Combine(root, "host", assemblyName), $"../task/{assemblyName}.dll")
                : FunctionLaunch.DotnetExec(task, assemblyName);
            return new LambdaPackage(root, assemblyName, launch);
        }
        catch
        {
            System.IO.Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>Starts the package against the Runtime API at <paramref name="runtimeApi"/>.</summary>
    public FunctionProcess Start(string runtimeApi, IReadOnlyDictionary<string, string>? environment = null) =>
        new(_launch, Directory, AssemblyName, runtimeApi, environment);

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);
}

/// <summary>What a published file is built for: the ReadyToRun header of an assembly, the machine of an ELF file.</summary>
public static class PackageImage
{
    /// <summary>ELF <c>e_machine</c> of AArch64.</summary>
    public const ushort ElfMachineAArch64 = 0xB7;

    /// <summary>What <see cref="Describe"/> says of the images Lambda runs on arm64.</summary>
    public const string LinuxArm64ReadyToRun = "linux-arm64 ReadyToRun";

    /// <summary>READYTORUN_SIGNATURE, "RTR": the first field of the header the ManagedNativeHeader entry points to.</summary>
    private const uint ReadyToRunSignature = 0x00525452;

    /// <summary>
    /// A ReadyToRun image's COFF Machine is the target's XOR'ed with a value per OS, so that no other OS's loader
    /// maps it (the ReadyToRun format, "PE Headers and CLI Headers"); Windows's is 0.
    /// </summary>
    private static readonly (string Os, ushort Xor)[] OsMachineOverrides =
        [("windows", 0), ("linux", 0x7B79), ("osx", 0x4644), ("freebsd", 0xADC4)];

    private static readonly (string Architecture, Machine Machine)[] Architectures =
        [("x64", Machine.Amd64), ("arm64", Machine.Arm64), ("x86", Machine.I386), ("arm", Machine.ArmThumb2)];

    /// <summary>
    /// "&lt;os&gt;-&lt;architecture&gt; ReadyToRun" for a ReadyToRun assembly (e.g. <see cref="LinuxArm64ReadyToRun"/>),
    /// "IL only" for one without native code.
    /// </summary>
    public static string Describe(string assemblyPath)
    {
        using var reader = new PEReader(File.OpenRead(assemblyPath));
        var corHeader = reader.PEHeaders.CorHeader ?? throw new BadImageFormatException($"{assemblyPath} is not a .NET assembly.");
        var nativeHeader = corHeader.ManagedNativeHeaderDirectory;
        if (nativeHeader.Size == 0 || reader.GetSectionData(nativeHeader.RelativeVirtualAddress).GetReader().ReadUInt32() != ReadyToRunSignature)
        {
            return "IL only";
        }

        var machine = (ushort)reader.PEHeaders.CoffHeader.Machine;
        foreach (var (os, xor) in OsMachineOverrides)
        {
            foreach (var (architecture, target) in Architectures)
            {
                if ((machine ^ xor) == (ushort)target)
                {
                    return $"{os}-{architecture} ReadyToRun";
                }
            }
        }

        return $"machine 0x{machine:X4} ReadyToRun";
    }

    /// <summary>Why <paramref name="assemblyPath"/> is not the image Lambda runs on arm64, or null when it is.</summary>
    public static string? Arm64Refusal(string assemblyPath) =>
        Describe(assemblyPath) is var description && description == LinuxArm64ReadyToRun
            ? null
            : $"{Path.GetFileName(assemblyPath)} is {(description == "IL only" ? "IL only" : "a " + description + " image")}, not {LinuxArm64ReadyToRun}.";

    /// <summary>Whether <paramref name="path"/> is an ELF file (an executable or shared library).</summary>
    public static bool IsElf(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var magic = new byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && magic.AsSpan().SequenceEqual("\u007FELF"u8);
    }

    /// <summary>The ELF <c>e_machine</c> of a 64-bit little-endian ELF file.</summary>
    public static ushort ElfMachine(string path)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        return header.AsSpan(0, 4).SequenceEqual("\u007FELF"u8) && header[4] == 2 && header[5] == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18))
            : throw new BadImageFormatException($"{path} is not a 64-bit little-endian ELF file.");
    }
}
