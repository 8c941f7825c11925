"""The input stage: the customer registry and Highflame's tailnet file, read, validated and
turned into the typed model (plus stack names and stack settings) every builder consumes."""

import os

# A pydantic plugin (entry point group "pydantic": a telemetry package installed beside this one
# is enough) is handed every input a model validates, secrets included, before SecretStr hides
# them. None may watch: pydantic reads this variable each time a model is built, and every model
# is built in this package, after this line. It also spares each process the entry-point scan.
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
