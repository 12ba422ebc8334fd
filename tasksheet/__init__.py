"""tasksheet: the pipeline's orchestration (batch, benchmark, cluster) and its CLI."""
