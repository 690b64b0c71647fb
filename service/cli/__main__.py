"""`python -m service.cli` is `handoff`."""

from service.cli import main

main()
