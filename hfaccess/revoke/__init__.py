"""Revocation: cutting a customer (or one environment) off Highflame's tailnet in seconds.

Pure core: `policy_edit` (the live policy without any path to a customer's tags), `ownership`
(which devices and keys are a customer's, by exact tags), `plan` (what a kill will do).
Shells: `execute` (runs a plan through the API client), `record` (writes `revoked: true`).
"""
