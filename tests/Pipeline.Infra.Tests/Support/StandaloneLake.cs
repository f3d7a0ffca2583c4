using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.DataLake;

namespace Pipeline.Infra.Tests.Support;

/// <summary>A data lake in a stack of its own, for construct tests that need one outside the app.</summary>
public static class StandaloneLake
{
    /// <summary>Creates a stack holding a lake with minimal retention settings.</summary>
    public static (Amazon.CDK.Stack Stack, DataLake Lake) Create()
    {
        // The app's feature flags, as cdk.json sets them (the access-log bucket needs the object-ownership default).
        var stack = new Amazon.CDK.Stack(new App(new AppProps { Context = CdkJson.Context(), AnalyticsReporting = false }), "Test");
        var lake = new DataLake(stack, "Lake", new DataLakeProps
        {
            EncryptionKey = new Key(stack, "Key"),
            RawDataDays = 1,
            ErrorDataDays = 1,
            NoncurrentVersionDays = 1,
            AccessLogDays = 365,
        });
        return (stack, lake);
    }
}
