"""``python -m store <command>``: an alias of ``python -m cli <command>`` (the one command line), kept so that
no script breaks. Same options, same output; one line on stderr, after the command, says where it now lives."""

import sys

from present.terminal import protect_output
from store.cli import alias_note, main

protect_output()  # no title, name or cell can send a terminal escape through the output
try:
    status = main()
except SystemExit as exc:  # --help, or arguments argparse refuses (exit 2)
    status = exc.code if isinstance(exc.code, int) else 1
sys.stderr.write(alias_note(sys.argv[1:]))
sys.exit(status)
