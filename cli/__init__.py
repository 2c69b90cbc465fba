"""Command lines beside the engine: ``python -m cli allocate ...``."""
