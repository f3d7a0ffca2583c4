namespace Pipeline.Infra.Configuration;

/// <summary>The instance storage of SageMaker instance types, one rule for training jobs and endpoints.</summary>
public static class InstanceStorage
{
    /// <summary>
    /// True when the instance type's family has local NVMe instance storage, which is encrypted in hardware and for
    /// which SageMaker refuses a volume KMS key (CreateTrainingJob ResourceConfig.VolumeKmsKeyId, CreateEndpointConfig KmsKeyId).
    /// </summary>
    public static bool IsLocalNvme(string instanceType) => SettingDefinitions.HasLocalNvmeStorage(instanceType);
}
