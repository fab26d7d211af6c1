"""Area-scope rows for notice URLs: the inbox is one's own; the SMS outbox is area-scoped."""

from bangfu.conftest import area
from bangfu.notices.actions import deliver

LIST_VIEWS = {"notices:outbox": ""}
OWN_OR_PUBLIC = {"notices:inbox", "notices:open", "notices:mark_all_read", "notices:badge"}


def objects(users, base):
    return {"sms": deliver("13900001111", "龙春生您好：测试短信", area=area("433124102201"))}
