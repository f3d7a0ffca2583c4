namespace Pipeline.Training;

/// <summary>The data sets the UNLOAD queries write: the SageMaker training channels.</summary>
public enum TrainingChannel
{
    /// <summary>The <c>train</c> channel: the records not in the validation share.</summary>
    Train,

    /// <summary>The <c>validation</c> channel: the share the built-in XGBoost reports <c>validation:auc</c> on.</summary>
    Validation,
}
