"""The access report: a static, self-contained site built from the same pure builders as `render`."""
