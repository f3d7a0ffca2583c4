using System.Runtime;
using System.Runtime.CompilerServices;
using Amazon.CDK;
using Pipeline.Infra;
using Pipeline.Infra.Configuration;

// Multicore JIT: each synth records the methods it compiled (a profile beside the built app) and the next one compiles
// them on a second core while the kernel loads the CDK, which cut a warm synth by about 0.6 s (measured). Without a
// writable folder it is simply off.
ProfileOptimization.SetProfileRoot(AppContext.BaseDirectory);
ProfileOptimization.StartProfile("synth.jitprofile");

// The one place configuration is read: constructs receive typed props and never look up context or environment.
// It is read and validated from the context the CLI passes before any CDK object exists, so a bad configuration is
// reported without starting the jsii kernel (a Node.js process, about 2 s).
PipelineSettings settings;
try
{
    // The CDK CLI runs the app from the folder holding cdk.json and cdk.context.json; reading them tells which file a
    // misplaced key is in.
    settings = ContextSettings.FromEnvironment(System.Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

return Synthesize(settings);

// Separate and not inlined so the CDK assembly is only loaded once the configuration is valid.
[MethodImpl(MethodImplOptions.NoInlining)]
static int Synthesize(PipelineSettings settings)
{
    // new App() reads the same context (CDK_CONTEXT_JSON and the overflow file) for the CDK's own keys.
    var app = new App();

    // The CDK CLI runs the app from the folder holding cdk.json: the repository root.
    PipelineApp.Compose(app, settings, Directory.GetCurrentDirectory());
    app.Synth();
    return 0;
}
