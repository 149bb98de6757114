"""``python -m matchmaking.cli`` runs ``hst``."""

import sys

from matchmaking.cli.main import main

sys.exit(main())
