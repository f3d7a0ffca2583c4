using Amazon.CDK;
using Pipeline.Core.Configuration;
using Pipeline.Infra;
using Pipeline.Infra.Configuration;

// The one place configuration is read: constructs receive typed props and never look up context or environment.
var app = new App();
PipelineSettings settings;
try
{
    settings = ContextSettings.Read(app.Node, System.Environment.GetEnvironmentVariable(ContextSettings.ContextEnvironmentVariable));
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

// The CDK CLI runs the app from the folder holding cdk.json: the repository root.
PipelineApp.Compose(app, settings, Directory.GetCurrentDirectory());
app.Synth();
return 0;
