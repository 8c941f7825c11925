"""Pulumi ComponentResources: thin shells that turn the pure builders' data into resources."""
