"""CrossGuard entry point: Pulumi runs this file to start the pack; the policies live elsewhere."""

from highflame_policies.pack import serve

serve()
