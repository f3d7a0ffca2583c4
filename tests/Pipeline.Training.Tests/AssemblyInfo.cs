// The S3 tests share one s3rver process and the start-up tests start published functions against it and a fake
// Runtime API, with timeouts; one test at a time keeps them independent of each other and of machine load.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
