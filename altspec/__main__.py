"""`python -m altspec` is the `altspec` command."""

import sys

from altspec.cli import main

sys.exit(main())
