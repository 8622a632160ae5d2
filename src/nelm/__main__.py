"""``python -m nelm`` runs the command line."""

from nelm.cli import main

if __name__ == "__main__":  # not when a worker process imports this module
    main()
