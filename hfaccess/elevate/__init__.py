"""`hfaccess elevate`: time-boxed break-glass through device posture attributes.

Pure planning (`plan`) and a thin shell (`hfaccess.cli.elevate`) around the API client.
"""
