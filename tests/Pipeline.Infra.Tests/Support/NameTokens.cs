namespace Pipeline.Infra.Tests.Support;

/// <summary>Name fragments as CDK renders them.</summary>
public static class NameTokens
{
    /// <summary>The stack-unique name suffix: the first eight hex digits of the stack id's UUID, resolved at deploy time.</summary>
    public const string StackUniqueSuffix =
        """{ "Fn::Select": [0, { "Fn::Split": ["-", { "Fn::Select": [2, { "Fn::Split": ["/", { "Ref": "AWS::StackId" }] }] }] }] }""";
}
