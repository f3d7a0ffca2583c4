namespace Pipeline.Infra.Constructs.Monitoring;

/// <summary>
/// The contract of the Model Monitor analyzer container, as the SageMaker Python SDK drives it
/// (sagemaker/model_monitor/model_monitoring.py): where inputs are mounted, where results are written, and the
/// environment that describes the data.
/// </summary>
public static class ModelMonitorContainer
{
    /// <summary>Name of the baseline job's input.</summary>
    public const string BaselineInputName = "baseline_dataset_input";

    /// <summary>Where the baseline job's input is mounted.</summary>
    public const string BaselineInputPath = "/opt/ml/processing/input/baseline_dataset_input";

    /// <summary>Where a monitoring run's captured endpoint data is mounted.</summary>
    public const string EndpointInputPath = "/opt/ml/processing/input/endpoint";

    /// <summary>Name of the results output.</summary>
    public const string OutputName = "monitoring_output";

    /// <summary>Where the analyzer writes <c>statistics.json</c>, <c>constraints.json</c> (and, when monitoring, violations).</summary>
    public const string OutputPath = "/opt/ml/processing/output";

    /// <summary>
    /// The data as the endpoint receives it: CSV rows without a header, the model's input columns in order; the baseline
    /// input (the train rows without the label) has the same shape, so their columns line up.
    /// </summary>
    public const string CsvWithoutHeader = """{"csv": {"header": false, "output_columns_position": "START"}}""";

    /// <summary>
    /// Instance type of every analyzer job: a Spark job over one run's rows or an hour of captured requests, the size
    /// AWS's Model Monitor examples use.
    /// </summary>
    public const string InstanceType = "ml.m5.xlarge";

    /// <summary>Volume per analyzer instance, in GB.</summary>
    public const int VolumeSizeGb = 20;
}
