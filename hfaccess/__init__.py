"""Highflame BYOC cluster access: the pure core shared by the Pulumi program and the CLI."""
