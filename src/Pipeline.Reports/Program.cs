using System.CommandLine;
using Pipeline.Reports.Diagram;

namespace Pipeline.Reports;

/// <summary>Entry point: <c>pipeline-reports diagram &lt;cdk.out&gt; &lt;file.dot&gt;</c>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var assembly = new Argument<DirectoryInfo>("cdk-out") { Description = "The synthesized app (cdk.out)." };
        var output = new Argument<FileInfo>("dot") { Description = "The Graphviz file to write." };
        var diagram = new Command("diagram", "Write the architecture diagram's Graphviz source from the synthesized templates.") { assembly, output };
        diagram.SetAction(parse =>
        {
            var stacks = CloudAssembly.Stacks(parse.GetValue(assembly)!);
            File.WriteAllText(parse.GetValue(output)!.FullName, ArchitectureDiagram.Dot(stacks));
            return 0;
        });
        return new RootCommand("Reports on the synthesized pipeline app.") { diagram }.Parse(args).Invoke();
    }
}
