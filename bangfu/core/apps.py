from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bangfu.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.test.signals import setting_changed

        _configure_read_limits()
        setting_changed.connect(_read_limits_changed)


def _configure_read_limits() -> None:
    """The spreadsheet engine's load limits (exchange/limits.py) from settings.BANGFU_READ_LIMITS."""
    from django.conf import settings

    from bangfu.exchange import limits

    limits.configure(limits.ReadLimits.of(getattr(settings, "BANGFU_READ_LIMITS", None)))


def _read_limits_changed(*, setting: str, **_kwargs) -> None:
    if setting == "BANGFU_READ_LIMITS":
        _configure_read_limits()
