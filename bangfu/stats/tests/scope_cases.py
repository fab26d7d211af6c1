"""The statistics' rows in the area-scope tests (core/tests/test_area_scope_everywhere.py): the page, its
export and the API show the user's subtree; another area's code is a 404 (stats/tests/test_pages.py)."""

LIST_VIEWS = {
    "stats:index": "",
    "stats:export": "?format=csv",
    "stats-table": "",
}
