namespace Pipeline.Infra.Tests.Support;

/// <summary>Cross-stack references as CDK renders them (export names are part of the stacks' contract).</summary>
public static class Exports
{
    /// <summary><c>{"Fn::ImportValue": "..."}</c> of the security baseline's data key ARN.</summary>
    public static string DataKeyArn(string profile) => Import(profile, "security-baseline", "ExportsOutputFnGetAttKeysDataKey8F3FE3A4Arn636228AA");

    /// <summary><c>{"Fn::ImportValue": "..."}</c> of the security baseline's logs key ARN.</summary>
    public static string LogsKeyArn(string profile) => Import(profile, "security-baseline", "ExportsOutputFnGetAttKeysLogsKeyD24E82DBArn6B9220C8");

    /// <summary><c>{"Fn::ImportValue": "..."}</c> of an output of a stack of the preset.</summary>
    public static string Import(string profile, string stack, string output) =>
        $$"""{ "Fn::ImportValue": "mlpipe-{{profile}}-{{stack}}:{{output}}" }""";
}
