"""Files the platform writes, stored without copying them through Python (core/files.py)."""

import os
from pathlib import Path

from bangfu.compare.models import ComparisonRun
from bangfu.core.files import copy_out, move_into


def test_a_written_file_is_moved_into_the_storage_not_copied(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    written = tmp_path / "work" / "results.csv"
    written.parent.mkdir()
    written.write_bytes(b"\xef\xbb\xbf1,2\r\n")
    inode = written.stat().st_ino
    run = ComparisonRun()

    move_into(run.results, written, "source-results.csv")

    assert not written.exists()
    stored = run.results.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and stored.endswith("source-results.csv")
    assert os.stat(stored).st_ino == inode  # renamed: the same file, not a copy
    with run.results.open("rb") as handle:
        assert handle.read() == b"\xef\xbb\xbf1,2\r\n"


def test_a_second_file_of_the_same_name_keeps_the_first(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    first, second = ComparisonRun(), ComparisonRun()
    for run, text in ((first, b"first"), (second, b"second")):
        path = tmp_path / "results.csv"
        path.write_bytes(text)
        move_into(run.results, path, "results.csv")
    assert first.results.name != second.results.name
    assert Path(first.results.path).read_bytes() == b"first"
    assert Path(second.results.path).read_bytes() == b"second"


def test_copy_out_leaves_the_stored_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"x" * 100_000)
    run = ComparisonRun()
    move_into(run.report, path, "report.xlsx")

    copy_out(run.report, tmp_path / "out.xlsx")

    assert (tmp_path / "out.xlsx").read_bytes() == b"x" * 100_000
    assert os.path.exists(run.report.path)
    assert os.stat(run.report.path).st_ino != (tmp_path / "out.xlsx").stat().st_ino


def test_copy_out_from_a_storage_without_local_paths(tmp_path):
    """An object store (Django's Storage without `path`, as S3's): the file is streamed out in blocks."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import Storage

    class ObjectStore(Storage):
        def __init__(self):
            self.blobs = {}

        def _save(self, name, content):
            self.blobs[name] = content.read()
            return name

        def _open(self, name, mode="rb"):
            return ContentFile(self.blobs[name], name=name)

        def exists(self, name):
            return name in self.blobs

    content = bytes(range(256)) * 10_000  # 2.5 MB: more than one block of the copy
    run = ComparisonRun()
    run.results.storage = ObjectStore()
    run.results.name = run.results.storage.save("results.csv", ContentFile(content))

    copy_out(run.results, tmp_path / "results.csv")

    assert (tmp_path / "results.csv").read_bytes() == content
    assert run.results.storage.exists(run.results.name)
