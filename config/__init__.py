"""Settings: one typed schema read from defaults, ``socialcrm.toml`` and the environment."""
