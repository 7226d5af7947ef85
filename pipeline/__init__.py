"""vnextract: structured, validated records from Vietnamese party and council news."""

import os

# Offline always: underthesea and spaCy must never reach for a hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

__version__ = "0.1.0"
