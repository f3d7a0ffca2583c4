using Pipeline.Testing;

namespace Pipeline.Transform.Tests.Support;

/// <summary>An invocation to hand a started function, with the POSTs and log lines it answers with.</summary>
/// <param name="Event">The event.</param>
/// <param name="Posts">How many POSTs answer it.</param>
/// <param name="LogLines">How many lines it logs.</param>
/// <param name="RefuseResponses">Whether the Runtime API refuses its response as too large.</param>
internal sealed record Invocation(FakeEvent Event, int Posts, int LogLines, bool RefuseResponses = false);

/// <summary>
/// One invocation of a started function package, recorded whole: the request that fetched it, the POSTs it answered
/// with, the request that followed (the loop asking for the next invocation), its log lines and the files the running
/// process had mapped.
/// </summary>
internal sealed record InvocationRun(
    RecordedRequest First, RecordedRequest[] Posts, RecordedRequest Next, IReadOnlyList<string> Lines, IReadOnlyList<string> Mapped)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts <paramref name="package"/> once and hands it <paramref name="invocations"/> one after another, as Lambda
    /// reuses a warm environment after a response or an invocation error; records each. The process is stopped afterwards.
    /// </summary>
    public static async Task<IReadOnlyList<InvocationRun>> RunAsync(LambdaPackage package, params Invocation[] invocations)
    {
        using var api = new FakeRuntimeApi();
        using var function = package.Start(api.HostAndPort);
        var runs = new List<InvocationRun>(invocations.Length);
        RecordedRequest? first = null;
        var linesBefore = 0;
        foreach (var invocation in invocations)
        {
            // Every POST of the invocation before has arrived, so the setting applies to this one alone.
            api.RefuseResponses = invocation.RefuseResponses;
            api.Enqueue(invocation.Event);
            first ??= await api.NextRequestAsync(Wait);
            var answers = new RecordedRequest[invocation.Posts];
            for (var i = 0; i < answers.Length; i++)
            {
                answers[i] = await api.NextPostAsync(Wait);
            }

            // The next GET comes after the invocation's logging, so its lines are complete; taken by position, so a
            // line too many shows in this invocation's lines and the next's.
            var next = await api.NextRequestAsync(Wait);
            var lines = await function.WaitForOutputLinesAsync(linesBefore + invocation.LogLines, Wait);
            runs.Add(new InvocationRun(first, answers, next, [.. lines.Skip(linesBefore)], function.MappedFiles()));
            linesBefore += invocation.LogLines;
            first = next;
        }

        return runs;
    }
}
