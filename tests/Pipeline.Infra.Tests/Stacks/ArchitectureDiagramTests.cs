using Pipeline.Infra.Tests.Support;
using Pipeline.Reports;
using Pipeline.Reports.Diagram;

namespace Pipeline.Infra.Tests.Stacks;

/// <summary>The committed architecture diagram is the one the app synthesizes today.</summary>
[Collection(CdkCollection.Name)]
public sealed class ArchitectureDiagramTests(AppFixture fixture)
{
    private static readonly string Committed = Path.Combine(RepositoryPaths.Root, "docs", "architecture.dot");

    [Fact]
    public void Diagram_Committed_MatchesTheSynthesizedProductionApp()
    {
        var generated = ArchitectureDiagram.Dot(CloudAssembly.Stacks(new DirectoryInfo(fixture.Production.OutputDirectory)));
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(Committed, generated);
        }

        Assert.True(File.Exists(Committed), "docs/architecture.dot is missing: run npm run diagram.");
        Assert.True(File.ReadAllText(Committed) == generated,
            "docs/architecture.dot no longer matches the app: run npm run diagram (it regenerates the source and the SVG) and commit both.\n" +
            LineDiff.Format(File.ReadAllText(Committed), generated, "committed", "generated"));
    }

    [Fact]
    public void Diagram_Production_FollowsARecordFromTheStreamToTheEndpoint()
    {
        var dot = ArchitectureDiagram.Dot(CloudAssembly.Stacks(new DirectoryInfo(fixture.Production.OutputDirectory)));

        Assert.Contains("\"Ingestion.Delivery5F6C039D\" -> \"DataLake.Stream46233657\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"Ingestion.Delivery5F6C039D\" -> \"Ingestion.Transform98E31DF8\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"Ingestion.Delivery5F6C039D\" -> \"DataLake.Lake42DFAD75\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"Training.TrainABD8C7C9\" -> \"Training.QueriesDB6EF58A\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"Serving.PromoteApprovalRuleCE6C092C\" -> \"Serving.Promote5B155696\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"Serving.EndpointEEF1FD8F\" -> \"Serving.EndpointConfig24AD0A28\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"Training.TrainABD8C7C9\" -> \"DataLake.ModelsC55D3500\";", dot, StringComparison.Ordinal);
        Assert.Contains("subgraph \"cluster_Operations\"", dot, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS::IAM::Role", dot, StringComparison.Ordinal);
    }
}
