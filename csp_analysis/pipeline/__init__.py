"""Running assessments: the command line, the runner, the make plan, batches and validation."""
