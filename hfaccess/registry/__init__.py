"""The input stage: the customer registry and Highflame's tailnet file, read, validated and
turned into the typed model (plus stack names and stack settings) every builder consumes."""
