"""Snapshots as plain text files, one per artifact, so reviewers read them as rendered."""

from __future__ import annotations

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


class TextSnapshot(SingleFileSnapshotExtension):
    """One UTF-8 text file per snapshot."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"
