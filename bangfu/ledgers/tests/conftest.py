import pytest

from bangfu.compare.tests.conftest import people  # noqa: F401 (four people of 土地村, one of county B)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
