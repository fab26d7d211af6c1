"""The SMS backends: the file backend writes a line per message, the console backend logs, the HTTP backend
refuses without a configured gateway; every message is in the outbox, listed with the phone masked."""

import logging

import pytest
from django.urls import reverse

from bangfu.conftest import area
from bangfu.notices.actions import deliver
from bangfu.notices.models import SmsMessage, SmsStatus
from bangfu.notices.sms import FileBackend, HttpBackend, SmsError, get_backend


def test_file_backend_appends_lines(tmp_path):
    path = tmp_path / "sub" / "sms.txt"
    backend = FileBackend(path)
    backend.send("13900001111", "第一条")
    backend.send("13900002222", "第二条\n换行")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[0].endswith("\t13900001111\t第一条") and lines[1].endswith("第二条 换行")


def test_backend_is_chosen_by_setting(settings):
    settings.BANGFU_SMS_BACKEND = "bangfu.notices.sms.ConsoleBackend"
    assert type(get_backend()).__name__ == "ConsoleBackend"
    settings.BANGFU_SMS_BACKEND = "bangfu.notices.sms.FileBackend"
    assert isinstance(get_backend(), FileBackend)


def test_console_backend_logs_masked(settings, db, caplog):
    settings.BANGFU_SMS_BACKEND = "bangfu.notices.sms.ConsoleBackend"
    with caplog.at_level(logging.WARNING, logger="bangfu.sms"):
        message = deliver("13900001111", "你好")
    assert message.status == SmsStatus.SENT
    assert "139****1111" in caplog.text and "13900001111" not in caplog.text


def test_http_backend_without_url_fails_cleanly(settings, db):
    with pytest.raises(SmsError, match="未配置"):
        HttpBackend({"url": ""}).send("13900001111", "x")
    settings.BANGFU_SMS_BACKEND = "bangfu.notices.sms.HttpBackend"
    settings.BANGFU_SMS_HTTP = {"url": ""}
    message = deliver("13900001111", "x")
    assert message.status == SmsStatus.FAILED and "未配置" in message.error


def test_outbox_is_area_scoped_and_masked(users, client_for, sms_file):
    deliver("13900001111", "土地村的短信", area=area("433124102201"))
    deliver("13900003333", "凤凰的短信", area=area("433123109225"))
    assert SmsMessage.objects.count() == 2
    page = client_for(users["county_a"]).get(reverse("notices:outbox")).content.decode()
    assert "土地村的短信" in page and "凤凰的短信" not in page
    assert "139****1111" in page and "13900001111" not in page
    assert "土地村的短信" not in client_for(users["county_b"]).get(reverse("notices:outbox")).content.decode()
