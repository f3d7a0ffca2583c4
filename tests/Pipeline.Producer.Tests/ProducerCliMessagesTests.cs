using Pipeline.Producer.Cli;

namespace Pipeline.Producer.Tests;

/// <summary>The CLI's messages: no .NET type names, folders named as such, plurals right. No AWS needed.</summary>
public sealed class ProducerCliMessagesTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("producer-cli-");

    /// <inheritdoc />
    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Produce_OutIsAFolder_SaysOutTakesAFilePath()
    {
        var (exit, _, error) = await Run("produce", "--count", "1", "--out", _directory.FullName);

        Assert.Equal((ExitCodes.InvalidArguments, $"{_directory.FullName} is a folder; --out takes a file path.\n"), (exit, error));
    }

    [Fact]
    public async Task Send_FileIsAFolder_SaysFileTakesAFilePath()
    {
        var (exit, _, error) = await Run("send", "--file", _directory.FullName, "--stream", "s", "--region", "us-east-1");

        Assert.Equal((ExitCodes.InvalidArguments, $"{_directory.FullName} is a folder; --file takes a file path.\n"), (exit, error));
    }

    [Fact]
    public async Task Produce_OneRecordToAFile_SaysOneRecord()
    {
        var file = Path.Combine(_directory.FullName, "one.jsonl");

        var (_, output, _) = await Run("produce", "--count", "1", "--out", file);

        Assert.StartsWith("wrote 1 record (", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produce_TwoRecordsToAFile_SaysTwoRecords()
    {
        var file = Path.Combine(_directory.FullName, "two.jsonl");

        var (_, output, _) = await Run("produce", "--count", "2", "--out", file);

        Assert.StartsWith("wrote 2 records (", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produce_CountNotANumber_NamesNoDotNetType()
    {
        var (exit, _, error) = await Run("produce", "--count", "abc", "--out", Path.Combine(_directory.FullName, "x.jsonl"));

        Assert.Equal((ExitCodes.InvalidArguments, "Invalid arguments: Cannot parse argument 'abc' for option '--count' as a whole number. (see --help)\n"), (exit, error));
    }

    [Theory]
    [InlineData("Cannot parse argument 'x' for option '--rate' as expected type 'System.Nullable`1[System.Double]'.", "Cannot parse argument 'x' for option '--rate' as a number.")]
    [InlineData("Cannot parse argument 'x' for option '--start' as expected type 'System.Nullable`1[System.DateTimeOffset]'.", "Cannot parse argument 'x' for option '--start' as a date and time such as 2026-01-31T12:00:00Z.")]
    [InlineData("Cannot parse argument 'x' for option '--duration' as expected type 'System.Nullable`1[System.TimeSpan]'.", "Cannot parse argument 'x' for option '--duration' as a duration such as 00:10:00.")]
    public void Plain_ParseErrorWithATypeName_SaysWhatTheOptionTakes(string message, string expected)
    {
        Assert.Equal(expected, ProducerCli.Plain(message));
    }

    [Theory]
    [InlineData(1, "1 record")]
    [InlineData(0, "0 records")]
    [InlineData(2, "2 records")]
    public void Records_Count_IsSingularForOne(long count, string expected)
    {
        Assert.Equal(expected, ProducerCli.Records(count));
    }

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ProducerCli.RunAsync(args, new AwsEnvironment(), output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
