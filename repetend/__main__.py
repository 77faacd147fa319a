"""`python -m repetend` runs the command line."""

from repetend.cli import main

raise SystemExit(main())
