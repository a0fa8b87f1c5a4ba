"""The web studio: a FastAPI app over the same engine as the CLI (``staffpath serve``)."""
