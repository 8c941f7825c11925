"""The tailnet policy: built from the registry, checked offline."""
