using Amazon.CDK;
using Constructs;
using Pipeline.Infra.Constructs.Operations;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The operations stack: the dashboard that follows a record from the stream to the endpoint. Deployed last and
/// holding nothing stateful, so changing a view never touches the pipeline.
/// </summary>
public sealed class OperationsStack : Stack
{
    /// <summary>Creates the stack.</summary>
    public OperationsStack(Construct scope, string id, OperationsStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        Dashboard = new PipelineDashboard(this, "Dashboard", new PipelineDashboardProps
        {
            Stream = props.DataLake.Stream.Stream,
            Transform = props.Ingestion.Transform.Function,
            Delivery = props.Ingestion.Delivery,
            Training = props.Training.Workflow.StateMachine,
            Promotion = props.Serving.Promotion.StateMachine,
            Endpoint = props.Serving.Endpoint,
            Drift = props.Serving.Drift,
        });
        _ = new CfnOutput(this, "DashboardName", new CfnOutputProps
        {
            Value = Dashboard.Dashboard.DashboardName,
            Description = "The pipeline's CloudWatch dashboard (CloudWatch console, Dashboards).",
        });
    }

    /// <summary>The pipeline's dashboard.</summary>
    public PipelineDashboard Dashboard { get; }
}
