"""The product's one command line: ``python -m cli <command>`` (allocation and store commands; ``--help``)."""
