"""``python -m gcli``: the same command line as the ``gcli`` script."""

from gcli.cli import main

if __name__ == "__main__":
    main(prog_name="gcli")
