namespace Pipeline.Schema;

/// <summary>
/// The names the drift function and the infrastructure agree on: the data-capture table's partition columns (infra
/// declares them, the drift query filters on them) and the drift metrics (the function emits them, the alarms and the
/// dashboard read them). They sit beside the record schema so that the CDK app builds without the training library.
/// </summary>
public static class DriftContract
{
    /// <summary>The capture table's partition column that the endpoint's name is injected into (a query must name it).</summary>
    public const string CaptureEndpointColumn = "endpoint";

    /// <summary>The capture table's partition column projected from the capture path's hour.</summary>
    public const string CaptureHourColumn = "capture_hour";

    /// <summary>The format of <see cref="CaptureHourColumn"/>: the capture path's <c>yyyy/MM/dd/HH</c>.</summary>
    public const string CaptureHourFormat = "yyyy/MM/dd/HH";

    /// <summary>The drift metrics' namespace.</summary>
    public const string MetricNamespace = "StreamingMlPipeline/Drift";

    /// <summary>The dimension every drift metric carries.</summary>
    public const string EndpointDimension = "EndpointName";

    /// <summary>The dimension of the per-feature PSI.</summary>
    public const string FeatureDimension = "Feature";

    /// <summary>Captured requests in the window.</summary>
    public const string CapturedRequestsMetric = "CapturedRequests";

    /// <summary>Captured requests that broke the schema.</summary>
    public const string SchemaViolationsMetric = "SchemaViolations";

    /// <summary>The largest feature PSI (only for a judged window).</summary>
    public const string MaxPsiMetric = "MaxPsi";

    /// <summary>A feature's PSI (only for a judged window).</summary>
    public const string PsiMetric = "Psi";
}
