using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Cli;

/// <summary>
/// Region, credentials and clients, resolved the standard AWS way (AWSSDK.Core's chains): <c>--region</c>, else
/// <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>, the profile's region or the instance's; credentials from the
/// environment, the shared profile (<c>AWS_PROFILE</c>, SSO included), or the instance or container role.
/// </summary>
public class AwsEnvironment
{
    /// <summary>The Region to use.</summary>
    /// <exception cref="ProducerException">No Region is configured.</exception>
    public virtual string Region(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var region = FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        return !string.IsNullOrEmpty(region)
            ? region
            : throw new ProducerException("No AWS Region: pass --region, or set AWS_REGION (or a region in your AWS profile).", ExitCodes.InvalidArguments);
    }

    /// <summary>The credentials to sign with.</summary>
    /// <exception cref="ProducerException">No credentials can be found.</exception>
    public virtual async Task<ImmutableCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var credentials = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
            return await credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            throw new ProducerException(
                "No AWS credentials: set AWS_PROFILE (after aws sso login for SSO), export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role applies.",
                ExitCodes.Credentials, e);
        }
    }

    /// <summary>A Kinesis client for the Region, or for <paramref name="endpoint"/> when given (a VPC or local endpoint).</summary>
    public virtual IKinesisClient Kinesis(HttpClient http, string region, Uri? endpoint) =>
        new SigV4KinesisClient(http, endpoint ?? SigV4KinesisClient.EndpointFor(region), region, CredentialsAsync);

    /// <summary>An S3 client for the Region, or for <paramref name="endpoint"/> when given.</summary>
    public virtual IAmazonS3 S3(string region, Uri? endpoint)
    {
        var config = endpoint is null
            ? new AmazonS3Config { RegionEndpoint = RegionEndpoint.GetBySystemName(region) }
            : new AmazonS3Config { ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = region };
        try
        {
            return new AmazonS3Client(config);
        }
        catch (AmazonClientException e)
        {
            throw new ProducerException(
                "No AWS credentials: set AWS_PROFILE (after aws sso login for SSO), export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role applies.",
                ExitCodes.Credentials, e);
        }
    }
}
