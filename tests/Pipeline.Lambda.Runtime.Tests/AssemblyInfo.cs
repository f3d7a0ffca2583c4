// The runtime loop sets the process-wide _X_AMZN_TRACE_ID per invocation, as Lambda's runtimes do; tests that run
// loops side by side would see each other's values.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
