"""Files the platform writes itself (results, reports), into a FileField's storage without copying them.

A run's results.csv for a province is a gigabyte; storing it the usual way (`FieldFile.save(name,
File(handle))`) copies it once more through Python in 64 KB chunks. A file on disk that is no longer
needed where it is is moved instead: the file-system storage renames it into place, as it does with a
temporary upload (another disk, or another storage: copied, then removed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files import File
from django.db.models.fields.files import FieldFile


class _FileOnDisk(File):
    """A file at a path the storage may take away (Django's storages move a temporary upload's file)."""

    def temporary_file_path(self) -> str:
        return self.file.name


def move_into(field_file: FieldFile, path: Path, name: str) -> None:
    """Store the file at `path` under `name` in `field_file` (not saving the model); `path` is gone after."""
    with open(path, "rb") as handle:
        field_file.save(name, _FileOnDisk(handle, name=name), save=False)
    path.unlink(missing_ok=True)  # renamed already; or streamed into a storage elsewhere


def copy_out(field_file: FieldFile, target: Path) -> None:
    """Copy a stored file to `target`: by the kernel when the storage is on this machine's disk."""
    try:
        source = field_file.path
    except NotImplementedError:  # a storage without local paths
        with field_file.open("rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return
    shutil.copyfile(source, target)


def shown_names(message: str, batch) -> str:
    """A reader's message as the user should read it: the kept file's stored name (which the storage may
    have given a random suffix, 名单_AbC123.xlsx) replaced by the name the user uploaded."""
    stored = Path(batch.file.name).name
    return message.replace(stored, batch.original_name) if stored and batch.original_name else message
