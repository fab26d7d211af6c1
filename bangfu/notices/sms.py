"""Text messages through a pluggable gateway. `BANGFU_SMS_BACKEND` names the backend class (dotted path):

- `ConsoleBackend` writes each message to the log (logger `bangfu.sms`);
- `FileBackend` appends each message as one line to `BANGFU_SMS_FILE` (the development default);
- `HttpBackend` posts to a real gateway; `BANGFU_SMS_HTTP` gives its URL, fixed parameters and the names of
  the phone and text parameters. Adapt `send` to the provider's API; it is never called by the tests.

A backend raises `SmsError` when a message cannot be sent; `deliver` records that in the outbox.
"""

import json
import logging
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from bangfu.core.idnumber import mask_phone

logger = logging.getLogger("bangfu.sms")


class SmsError(Exception):
    pass


class BaseBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, phone: str, text: str) -> None:
        logger.warning("短信 → %s：%s", mask_phone(phone), text)


class FileBackend(BaseBackend):
    """One line per message: time, phone, text (tab-separated, UTF-8)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or settings.BANGFU_SMS_FILE)

    def send(self, phone: str, text: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
                handle.write(f"{stamp}\t{phone}\t{text.replace(chr(10), ' ')}\n")
        except OSError as exc:
            raise SmsError(f"写入短信文件失败：{exc}") from exc


class HttpBackend(BaseBackend):
    """A template for a real gateway: POST form fields, success when the reply is HTTP 2xx and, if the
    gateway answers JSON, its `success_field` equals `success_value`."""

    def __init__(self, config: dict | None = None):
        self.config = config or settings.BANGFU_SMS_HTTP

    def send(self, phone: str, text: str) -> None:
        config = self.config
        if not config.get("url"):
            raise SmsError("未配置短信网关地址（BANGFU_SMS_HTTP_URL）。")
        fields = {**config.get("params", {}), config.get("phone_param", "mobile"): phone}
        fields[config.get("text_param", "content")] = text
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(config["url"], data=data, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=config.get("timeout", 10)) as response:
                body = response.read().decode("utf-8", "replace")
        except OSError as exc:
            raise SmsError(f"短信网关不可用：{exc}") from exc
        field = config.get("success_field")
        if field:
            try:
                ok = json.loads(body).get(field) == config.get("success_value")
            except (ValueError, AttributeError):
                ok = False
            if not ok:
                raise SmsError(f"短信网关拒绝：{body[:200]}")


def get_backend() -> BaseBackend:
    return import_string(settings.BANGFU_SMS_BACKEND)()
