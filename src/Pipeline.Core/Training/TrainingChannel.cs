namespace Pipeline.Core.Training;

/// <summary>The data sets the UNLOAD queries write: the SageMaker training channels and the monitoring baseline.</summary>
public enum TrainingChannel
{
    /// <summary>The <c>train</c> channel: the records not in the validation share.</summary>
    Train,

    /// <summary>The <c>validation</c> channel: the share the built-in XGBoost reports <c>validation:auc</c> on.</summary>
    Validation,

    /// <summary>
    /// The records of the <see cref="Train"/> channel without the label: the model's input columns as an inference request
    /// carries them, from which the data-quality baseline of the captured requests is computed.
    /// </summary>
    Baseline,
}
