"""One environment's cluster install: Helm values, RBAC, exposures, the customer handoff."""
