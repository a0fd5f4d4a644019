"""Developer tools: the scripted demo and the benchmarks."""
