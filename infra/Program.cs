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

PipelineApp.Compose(app, settings);
app.Synth();
return 0;
