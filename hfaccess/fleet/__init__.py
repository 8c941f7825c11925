"""The fleet view: every customer environment's tailnet presence, and what nothing explains."""
