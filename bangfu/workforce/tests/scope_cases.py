"""Area-scope cases of 企业用工报送 (see core/tests/test_area_scope_everywhere.py). The account of
土地村苗绣扶贫车间 reports the hire of 龙春生 of 土地村, applied by the worker: county A's 企业报送 list
shows it, county B's does not. The portal pages serve enterprise accounts only and show their own
employers' reports (test_reports.py, test_non_disclosure.py), so they are classified as own."""

LIST_VIEWS = {"workforce:list": ""}
OWN_OR_PUBLIC = {
    "workforce:portal_list",
    "workforce:portal_hire_new",
    "workforce:portal_import",
    "workforce:portal_template",
    "workforce:portal_hire",
    "workforce:portal_leave",
    "workforce:portal_wages",
}
URL_KWARGS = {"workforce:portal_template": {"key": "workforce-hires"}}


def objects(users, base):
    import datetime as dt

    from bangfu.workforce import actions
    from bangfu.workforce.rows import HireRow

    person = base["person"]
    row = HireRow(person.id_number, person.name, dt.date(2026, 3, 2), "绣工", 2600)
    hire = actions.report_hire(base["enterprise_user"], base["ledger_employer"], row)
    actions.apply_pending()
    return {"workforce_hire": hire}
