using Pipeline.Infra.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Infra.Tests.Layering;

/// <summary>
/// The namespaces of the CDK app depend on each other in one direction: stacks compose constructs, constructs build on
/// primitives (security, workflows, functions, observability), and configuration and sizing are leaves only the stacks
/// and the app read. The graph is read from the compiled assembly, so it holds whatever the code says, and is kept in
/// docs/infra-namespaces.txt, like the template snapshots.
/// </summary>
public sealed class NamespaceDependencyTests(ITestOutputHelper output)
{
    private const string Root = "Pipeline.Infra";
    private const string Stacks = Root + ".Stacks";
    private const string Constructs = Root + ".Constructs";
    private static readonly string[] Leaves = [Root + ".Configuration", Root + ".Sizing"];

    private static readonly Lazy<NamespaceGraph> Graph = new(() => NamespaceGraph.Read(typeof(PipelineApp).Assembly.Location, Root));

    private static string Committed => RepositoryPaths.Combine("docs", "infra-namespaces.txt");

    private static bool IsUnder(string ns, string parent) => ns == parent || ns.StartsWith(parent + ".", StringComparison.Ordinal);

    [Fact]
    public void Namespaces_Infra_HaveNoCycle()
    {
        var cycles = Graph.Value.Cycles();

        Assert.True(cycles.Count == 0, "Namespace cycles in Pipeline.Infra (move the type to the namespace it belongs to, or pass an interface in props):\n" +
            string.Join("\n", cycles.Select(cycle => string.Join(" -> ", cycle))));
    }

    [Fact]
    public void Namespaces_Graph_MatchesCommittedSnapshot()
    {
        var actual = Graph.Value.Format();
        output.WriteLine(actual);
        if (Environment.GetEnvironmentVariable(TemplateSnapshot.UpdateVariable) == "1")
        {
            File.WriteAllText(Committed, actual);
            return;
        }

        Assert.True(File.Exists(Committed), $"{Committed} is missing: run the tests once with {TemplateSnapshot.UpdateVariable}=1 and commit it.");
        var expected = File.ReadAllText(Committed).ReplaceLineEndings("\n");
        Assert.True(expected == actual, $"The namespace graph differs from {Committed}; if intended, rerun with {TemplateSnapshot.UpdateVariable}=1 and commit it.\n" +
            LineDiff.Format(expected, actual, "committed", "compiled"));
    }

    [Fact]
    public void Constructs_Namespaces_NeverDependOnStacks()
    {
        var violations = Graph.Value.Edges.Where(e => IsUnder(e.From, Constructs) && IsUnder(e.To, Stacks));

        Assert.Empty(violations);
    }

    [Fact]
    public void ConfigurationAndSizing_Namespaces_AreReadOnlyByStacksAndTheApp()
    {
        var readers = Graph.Value.Edges.Where(e => Leaves.Any(leaf => IsUnder(e.To, leaf)) && !Leaves.Any(leaf => IsUnder(e.From, leaf)))
            .Select(e => e.From).Distinct();

        Assert.All(readers, reader => Assert.True(reader == Root || IsUnder(reader, Stacks), $"{reader} reads configuration or sizing."));
    }

    [Fact]
    public void ConfigurationAndSizing_Namespaces_DependOnNoOtherInfraNamespace()
    {
        var outgoing = Graph.Value.Edges.Where(e => Leaves.Any(leaf => IsUnder(e.From, leaf)) && !Leaves.Any(leaf => IsUnder(e.To, leaf)));

        Assert.Empty(outgoing);
    }

    [Fact]
    public void Sources_UsingDirectives_NameOnlyDependenciesTheAssemblyShows()
    {
        // The compiler copies constants into their users, so a namespace that names another only for a constant leaves
        // no trace in the assembly: its using directive is the one place the dependency shows.
        var hidden = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Combine("infra"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            var ns = lines.FirstOrDefault(l => l.StartsWith("namespace ", StringComparison.Ordinal))?["namespace ".Length..].TrimEnd(';');
            if (ns is null)
            {
                continue;
            }

            hidden.AddRange(lines.Where(l => l.StartsWith($"using {Root}", StringComparison.Ordinal))
                .Select(l => l["using ".Length..].TrimEnd(';'))
                .Where(used => used != ns && !Graph.Value.Edges.Contains((ns, used)))
                .Select(used => $"{Path.GetRelativePath(RepositoryPaths.Root, file)}: {ns} -> {used}"));
        }

        Assert.True(hidden.Count == 0, "Using directives the compiled graph does not show (a constant only, or unused: move the constant below both namespaces, or drop the directive):\n" +
            string.Join("\n", hidden));
    }

    [Fact]
    public void Graph_MethodBodyOnlyReference_CountsAsAnEdge()
    {
        // The test assembly's own graph: a reference that exists only inside a method body still makes an edge.
        var graph = NamespaceGraph.Read(typeof(NamespaceDependencyTests).Assembly.Location, "Pipeline.Infra.Tests.Layering");

        Assert.Contains(("Pipeline.Infra.Tests.Layering.Fixtures.Caller", "Pipeline.Infra.Tests.Layering.Fixtures.Callee"), graph.Edges);
        Assert.DoesNotContain(("Pipeline.Infra.Tests.Layering.Fixtures.Callee", "Pipeline.Infra.Tests.Layering.Fixtures.Caller"), graph.Edges);
    }

    [Fact]
    public void Graph_AttributeTypeofArgument_CountsAsAnEdge()
    {
        var graph = NamespaceGraph.Read(typeof(NamespaceDependencyTests).Assembly.Location, "Pipeline.Infra.Tests.Layering.Fixtures");

        Assert.Equal(["Pipeline.Infra.Tests.Layering.Fixtures.Caller"], graph.DependenciesOf("Pipeline.Infra.Tests.Layering.Fixtures.Attributed"));
    }

    [Fact]
    public void Cycles_TwoNamespacesReferencingEachOther_NamedAsAClosedPath()
    {
        var graph = NamespaceGraph.Read(typeof(NamespaceDependencyTests).Assembly.Location, "Pipeline.Infra.Tests.Layering.Fixtures");

        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal(["Pipeline.Infra.Tests.Layering.Fixtures.Callee", "Pipeline.Infra.Tests.Layering.Fixtures.Cyclic",
            "Pipeline.Infra.Tests.Layering.Fixtures.Callee"], cycle);
    }
}
