using Pipeline.Infra.Tests.Support;
using Pipeline.Reports;
using Pipeline.Reports.Diagram;

namespace Pipeline.Infra.Tests.Stacks;

/// <summary>The committed architecture diagram is the one the app synthesizes today, and it reads along the data flow.</summary>
[Collection(CdkCollection.Name)]
public sealed class ArchitectureDiagramTests(AppFixture fixture)
{
    private static readonly string Committed = Path.Combine(RepositoryPaths.Root, "docs", "architecture.dot");

    private IReadOnlyList<SynthesizedStack> Stacks => CloudAssembly.Stacks(new DirectoryInfo(fixture.Production.OutputDirectory));

    [Fact]
    public void Diagram_Committed_MatchesTheSynthesizedProductionApp()
    {
        var generated = ArchitectureDiagram.Dot(Stacks);
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
    public void Diagram_Production_DrawsTheSpineDownstreamInOrder()
    {
        var model = ArchitectureDiagram.Model(Stacks);
        // Picked by type (and, where a type occurs more than once, by the construct's name), never by the generator's rules.
        string[] spine =
        [
            ArchitectureDiagram.Producers,
            Node(model, "AWS::Kinesis::Stream"),
            Node(model, "AWS::KinesisFirehose::DeliveryStream"),
            Zone(model, "curated"),
            Node(model, "AWS::Glue::Table", "CatalogCuratedTable"),
            Node(model, "AWS::StepFunctions::StateMachine", "Train"),
            Node(model, "AWS::SageMaker::ModelPackageGroup"),
            Node(model, "AWS::StepFunctions::StateMachine", "Promote"),
            Node(model, "AWS::SageMaker::Endpoint"),
            Zone(model, "data-capture"),
            Node(model, "AWS::Glue::Table", "CaptureTable"),
            Node(model, "AWS::StepFunctions::StateMachine", "Drift"),
        ];

        foreach (var (from, to) in spine.Zip(spine.Skip(1)))
        {
            var edge = model.Edges.SingleOrDefault(e => e.From == from && e.To == to && e.Layer == DiagramLayer.Flow);
            Assert.True(edge is not null, $"No flow edge {from} -> {to}.");
            Assert.True(edge.Constraint, $"{from} -> {to} must rank its ends: it is part of the spine.");
            Assert.DoesNotContain(model.Edges, e => e.From == to && e.To == from && e.Layer == DiagramLayer.Flow);
        }

        var dot = ArchitectureDiagram.Dot(model);
        foreach (var (from, to) in spine.Zip(spine.Skip(1)))
        {
            Assert.Contains($"\"{from}\" -> \"{to}\"", dot, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Diagram_Production_ReachesEveryLakeZoneFirehoseWrites()
    {
        var model = ArchitectureDiagram.Model(Stacks);
        var firehose = Node(model, "AWS::KinesisFirehose::DeliveryStream");

        foreach (var zone in new[] { "raw", "curated", "errors" })
        {
            Assert.Contains(model.Edges, e => e.From == firehose && e.To == Zone(model, zone) && e.Layer == DiagramLayer.Flow);
        }

        Assert.Contains(model.Edges, e => e.From == firehose && e.To == Node(model, "AWS::Lambda::Function", "Transform"));
    }

    [Fact]
    public void Diagram_Production_ReadsLeftToRight()
    {
        var dot = ArchitectureDiagram.Dot(Stacks);

        Assert.Contains("rankdir=LR", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_Production_DrawsFirehoseToTheGlueTableItsSchemaComesFrom()
    {
        var model = ArchitectureDiagram.Model(Stacks);

        var edge = Assert.Single(model.Edges, e => e.From == Node(model, "AWS::KinesisFirehose::DeliveryStream")
            && e.To == Node(model, "AWS::Glue::Table", "CatalogCuratedTable"));
        Assert.Equal(DiagramLayer.Flow, edge.Layer);
        Assert.False(edge.Constraint);
    }

    [Fact]
    public void Diagram_QuietLayer_IsGreyDashedSmallAndUnconstrained()
    {
        var model = ArchitectureDiagram.Model(Stacks);
        var dot = ArchitectureDiagram.Dot(model);
        var quiet = model.Edges.Where(e => e.Layer == DiagramLayer.Quiet).ToList();

        Assert.NotEmpty(quiet);
        foreach (var edge in quiet)
        {
            var line = Assert.Single(dot.Split('\n'), l => l.StartsWith($"  \"{edge.From}\" -> \"{edge.To}\" [", StringComparison.Ordinal)
                && !l.Contains("style=invis", StringComparison.Ordinal));
            Assert.Contains("style=dashed", line, StringComparison.Ordinal);
            Assert.Contains("color=\"#b8c2cc\"", line, StringComparison.Ordinal);
            Assert.Contains("fontsize=7", line, StringComparison.Ordinal);
            Assert.Contains("constraint=false", line, StringComparison.Ordinal);
        }

        // Keys, network and the alarm topic are all quiet nodes.
        Assert.All(model.Nodes.Where(n => n.Type is "AWS::KMS::Key" or "AWS::EC2::VPC" or "AWS::SNS::Topic"),
            n => Assert.Equal(DiagramLayer.Quiet, n.Layer));
        Assert.Contains(model.Nodes, n => n.Type == "AWS::KMS::Key");
    }

    [Fact]
    public void Diagram_EveryLambdaFunction_HasAVpcEdge()
    {
        var model = ArchitectureDiagram.Model(Stacks);
        var vpc = Node(model, "AWS::EC2::VPC");
        var functions = model.Nodes.Where(n => n.Type == "AWS::Lambda::Function").ToList();

        Assert.True(functions.Count >= 4, "Expected the transform, training and drift functions on the diagram.");
        Assert.All(functions, f => Assert.Contains(model.Edges, e => e.From == f.Key && e.To == vpc && e.Layer == DiagramLayer.Quiet));
    }

    [Fact]
    public void Diagram_EveryStateMachine_HasAnAlarmTopicEdge()
    {
        var model = ArchitectureDiagram.Model(Stacks);
        var topic = Node(model, "AWS::SNS::Topic");
        var machines = model.Nodes.Where(n => n.Type == "AWS::StepFunctions::StateMachine").ToList();

        Assert.Equal(3, machines.Count);
        Assert.All(machines, m => Assert.Contains(model.Edges, e => e.From == m.Key && e.To == topic && e.Layer == DiagramLayer.Quiet));
    }

    [Fact]
    public void Diagram_Production_LeavesRolesOut()
    {
        var dot = ArchitectureDiagram.Dot(Stacks);

        Assert.DoesNotContain("AWS::IAM::Role", dot, StringComparison.Ordinal);
        Assert.DoesNotContain(ArchitectureDiagram.Model(Stacks).Nodes, n => n.Type.StartsWith("AWS::IAM::", StringComparison.Ordinal));
    }

    private static string Node(ArchitectureModel model, string type, string? name = null) =>
        Assert.Single(model.Nodes, n => n.Type == type && n.Zone is null && (name is null || n.Name == name)).Key;

    private static string Zone(ArchitectureModel model, string zone) =>
        Assert.Single(model.Nodes, n => n.Zone == zone).Key;
}
