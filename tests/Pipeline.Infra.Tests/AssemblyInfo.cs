// jsii marshals every CDK call over one stdio channel to a single Node process; it is not thread-safe.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
