"""Spreadsheet engine shared by every import and export: reading .xlsx/.xls/.csv within load limits and
writing reports."""

from bangfu.exchange.limits import ReadLimits
from bangfu.exchange.report import CellError, RowProblem, as_text, write_error_report, write_table
from bangfu.exchange.spreadsheet import Column, Row, Sheet, SpreadsheetError, fold, open_sheet

__all__ = [
    "CellError",
    "Column",
    "ReadLimits",
    "Row",
    "RowProblem",
    "Sheet",
    "SpreadsheetError",
    "as_text",
    "fold",
    "open_sheet",
    "write_error_report",
    "write_table",
]
