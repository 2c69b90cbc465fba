import sys

from present.terminal import protect_output
from store.cli import main

protect_output()  # no title, name or cell can send a terminal escape through the output
sys.exit(main())
