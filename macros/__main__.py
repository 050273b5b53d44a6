"""Command line: python -m macros check [DATA_DIR]."""

import sys

from macros.cli import main

sys.exit(main(sys.argv[1:]))
