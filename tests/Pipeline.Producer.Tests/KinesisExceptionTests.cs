using System.Net;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Tests;

/// <summary>How each error PutRecords documents (and the common ones every AWS JSON API has) is treated.</summary>
public sealed class KinesisExceptionTests
{
    [Theory]
    [InlineData("ProvisionedThroughputExceededException", 400, "throttling")]
    [InlineData("LimitExceededException", 400, "throttling")]
    [InlineData("ThrottlingException", 400, "throttling")]
    [InlineData("KMSThrottlingException", 400, "throttling")]
    [InlineData("InternalFailure", 500, "transient")]
    [InlineData("ServiceUnavailable", 503, "transient")]
    [InlineData("KMSInvalidStateException", 400, "transient")]
    [InlineData("ExpiredTokenException", 400, "expired")]
    [InlineData("AccessDeniedException", 400, "refused")]
    [InlineData("UnrecognizedClientException", 400, "refused")]
    [InlineData("KMSAccessDeniedException", 400, "refused")]
    [InlineData("KMSDisabledException", 400, "refused")]
    [InlineData("KMSNotFoundException", 400, "refused")]
    [InlineData("KMSOptInRequired", 400, "refused")]
    [InlineData("ResourceNotFoundException", 400, "not found")]
    [InlineData("InvalidArgumentException", 400, "other")]
    [InlineData(KinesisException.UnexpectedResponse, 200, "unexpected")]
    public void Classification_DocumentedError_TreatedAsItsKind(string code, int status, string kind)
    {
        var error = new KinesisException("PutRecords failed", code, (HttpStatusCode)status);

        var actual = error switch
        {
            { IsThrottling: true } => "throttling",
            { IsTransient: true } => "transient",
            { IsExpiredCredentials: true } => "expired",
            { IsAccessDenied: true } => "refused",
            { IsNotFound: true } => "not found",
            { IsUnexpectedResponse: true } => "unexpected",
            _ => "other",
        };

        Assert.Equal(kind, actual);
    }
}
