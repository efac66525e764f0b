// Benchmarks measured side by side would disturb each other and the 2-core machine: one test at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
