"""``python -m staffpath.cli``."""

from staffpath.cli.app import main

main()
