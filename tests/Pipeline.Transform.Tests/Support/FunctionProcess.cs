using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Transform.Tests.Support;

/// <summary>
/// A published function started exactly as the managed <c>dotnet10</c> runtime starts an executable-assembly handler
/// (<c>dotnet exec /var/task/&lt;handler&gt;.dll</c>, working directory the task root), with the variables Lambda
/// sets, against a Runtime API at <c>127.0.0.1:port</c>. Standard output is collected line by line. Disposing kills
/// the process (it waits for its next invocation forever).
/// </summary>
internal sealed class FunctionProcess : IDisposable
{
    public const string FunctionName = "mlpipe-sandbox-transform";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    public FunctionProcess(string publishDirectory, string assemblyName, string runtimeApi, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(publishDirectory, assemblyName + ".dll")])
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
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
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
