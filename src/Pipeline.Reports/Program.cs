using System.CommandLine;
using Pipeline.Reports.Cost;
using Pipeline.Reports.Diagram;

namespace Pipeline.Reports;

/// <summary>Entry point: <c>pipeline-reports diagram &lt;cdk.out&gt; &lt;file.dot&gt;</c>, <c>pipeline-reports cost sandbox=&lt;cdk.out&gt; …</c>.</summary>
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
        var assemblies = new Argument<string[]>("profile=cdk.out") { Description = "Each profile's synthesized app, e.g. sandbox=cdk.out.sandbox.", Arity = ArgumentArity.OneOrMore };
        var cost = new Command("cost", "Print the idle monthly cost per stack, the endpoint's hourly cost and one training run's cost, per profile.") { assemblies };
        cost.SetAction(parse =>
        {
            foreach (var pair in parse.GetValue(assemblies)!)
            {
                var (profile, directory) = pair.Split('=', 2) is [var p, var d] ? (p, d) : (pair, pair);
                Console.Out.WriteLine(CostReport.Render(profile, CloudAssembly.Stacks(new DirectoryInfo(directory)), PriceTable.Default));
            }

            return 0;
        });
        return new RootCommand("Reports on the synthesized pipeline app.") { diagram, cost }.Parse(args).Invoke();
    }
}
