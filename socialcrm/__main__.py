"""``python -m socialcrm`` is the ``socialcrm`` command."""

from socialcrm.cli import app

app(prog_name="socialcrm")
