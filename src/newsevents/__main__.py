"""`python -m newsevents`: the command line."""

from newsevents.cli import cli

if __name__ == "__main__":
    cli()
