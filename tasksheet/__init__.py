"""tasksheet: the pipeline's orchestration (batch, benchmark, cluster) and its CLI."""

import os

# onnxruntime (1.29 and later) logs telemetry on Linux too, an offline store under
# ~/.cache/Microsoft and an uploader, unless told before it starts; an offline tool sends
# nothing and writes nothing outside its output. Every module of the package is imported
# through here first. A user's own setting stands.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
