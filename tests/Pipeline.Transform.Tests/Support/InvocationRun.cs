using Pipeline.Lambda.Runtime.Tests.Support;

namespace Pipeline.Transform.Tests.Support;

/// <summary>
/// One invocation of a started function package, recorded whole: the first request, the POSTs it answered with, the
/// request that followed (the loop asking for the next invocation), its log lines and the files the running process had
/// mapped. The process is stopped afterwards.
/// </summary>
internal sealed record InvocationRun(
    RecordedRequest First, RecordedRequest[] Posts, RecordedRequest Next, IReadOnlyList<string> Lines, IReadOnlyList<string> Mapped)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Starts <paramref name="package"/>, hands it <paramref name="invocation"/> and records what follows.</summary>
    public static async Task<InvocationRun> RunAsync(LambdaPackage package, FakeEvent invocation, int posts, int logLines, bool refuseResponses = false)
    {
        using var api = new FakeRuntimeApi { RefuseResponses = refuseResponses };
        api.Enqueue(invocation);
        using var function = package.Start(api.HostAndPort);
        var first = await api.NextRequestAsync(Wait);
        var answers = new RecordedRequest[posts];
        for (var i = 0; i < posts; i++)
        {
            answers[i] = await api.NextPostAsync(Wait);
        }

        // The next GET comes after the invocation's logging, so the lines are complete.
        var next = await api.NextRequestAsync(Wait);
        var lines = await function.WaitForOutputLinesAsync(logLines, Wait);
        return new InvocationRun(first, answers, next, lines, function.MappedFiles());
    }
}
