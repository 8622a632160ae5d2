"""``python -m nelm`` runs the command line."""

from nelm.cli import main

main()
