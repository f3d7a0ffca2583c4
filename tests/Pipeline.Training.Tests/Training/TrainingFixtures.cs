using System.Text.Json.Nodes;

namespace Pipeline.Training.Tests.Training;

/// <summary>Reads the API payload fixtures (Training/Fixtures, copied to Fixtures/).</summary>
internal static class TrainingFixtures
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>The completed DescribeTrainingJob fixture with the validation:auc entry changed by <paramref name="edit"/>.</summary>
    public static string CompletedJobWith(Action<JsonObject?> edit)
    {
        var root = JsonNode.Parse(Read("describe-training-job-completed.json"))!.AsObject();
        var list = root["FinalMetricDataList"]!.AsArray();
        var entry = list.FirstOrDefault(m => (string?)m!["MetricName"] == "validation:auc")?.AsObject();
        edit(entry);
        if (entry is not null && entry.Count == 0)
        {
            list.Remove(entry);
        }

        return root.ToJsonString();
    }
}
