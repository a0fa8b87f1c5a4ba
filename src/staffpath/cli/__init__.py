"""The command line: thin Typer commands over the same functions as the Python API."""
