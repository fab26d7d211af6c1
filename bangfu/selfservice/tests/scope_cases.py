"""Area-scope cases of 劳动者自助服务 (see core/tests/test_area_scope_everywhere.py). Its pages serve one
laborer's own data, started from their person, and refuse staff and enterprise accounts (403), so they
are classified as own; that another laborer's ids are a 404 and lists show nothing of theirs is tested
page by page in test_own_data_only.py. The sign-in pages are public. The world gets 龙春生's laborer
account, so the no-server-error sweep asks the laborer pages as a laborer."""

OWN_OR_PUBLIC = {
    "selfservice:login",
    "selfservice:code",
    "selfservice:who",
    "selfservice:logout",
    "selfservice:home",
    "selfservice:jobs",
    "selfservice:job",
    "selfservice:referrals",
    "selfservice:referral",
    "selfservice:wishes",
    "selfservice:records",
    "selfservice:record",
    "selfservice:policies",
}
URL_KWARGS = {
    "selfservice:job": {"pk": 1},
    "selfservice:referral": {"pk": 1},
    "selfservice:record": {"pk": 1},
}


def objects(users, base):
    from bangfu.selfservice.actions import account_for

    person = base["person"]
    return {"laborer_user": account_for(person, "13900001111")}
