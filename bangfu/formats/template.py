"""The import template of one layout as .xlsx: the header and an example row on the first sheet (the one
the import reads), and a second sheet explaining each column and its allowed values."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from bangfu.formats.catalog import GENERAL, REQUIRED, Layout

DATA_SHEET, GUIDE_SHEET = "数据", "填写说明"
TEXT_ROWS = 2000  # rows below the header formatted as text, so an ID number keeps its 18 digits


def write_template(layout: Layout, path: str | Path) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    try:
        text = workbook.add_format({"num_format": "@"})
        required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "num_format": "@"})
        optional = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "num_format": "@"})
        example = workbook.add_format({"num_format": "@", "font_color": "#808080", "italic": True})
        sheet = workbook.add_worksheet(DATA_SHEET)
        for index, column in enumerate(layout.columns):
            width = max(10, min(40, 2 * len(column.name) + 2, 2 * len(column.example) + 2))
            sheet.set_column(index, index, width, text)
            sheet.write_string(0, index, column.name, required if column.required == REQUIRED else optional)
            sheet.write_string(1, index, column.example, example)
            tip = "；".join(
                filter(
                    None, [column.required, column.rule, column.values_text and "可填：" + column.values_text]
                )
            )
            sheet.write_comment(0, index, tip[:1000], {"x_scale": 2, "y_scale": 2})
        for row in range(2, TEXT_ROWS):
            sheet.set_row(row, None, text)
        sheet.freeze_panes(1, 0)

        guide = workbook.add_worksheet(GUIDE_SHEET)
        bold = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        title = workbook.add_format({"bold": True, "font_size": 14})
        guide.write_string(0, 0, f"{layout.title}：填写说明", title)
        guide.write_string(
            1, 0, f"读取位置：{layout.reader}。第一个工作表第 2 行是示例，填写时请替换或删除。", wrap
        )
        heads = ("列名", "必填", "可填写的值", "填写要求", "也可识别的列名", "示例")
        for index, (head, width) in enumerate(zip(heads, (16, 10, 40, 60, 24, 22), strict=True)):
            guide.set_column(index, index, width, wrap)
            guide.write_string(3, index, head, bold)
        for row, column in enumerate(layout.columns, start=4):
            cells = (
                column.name,
                column.required,
                column.values_text,
                column.rule,
                "、".join(column.aliases),
                column.example,
            )
            for index, value in enumerate(cells):
                guide.write_string(row, index, value, wrap)
        row = 5 + len(layout.columns)
        for note in (*layout.notes, *GENERAL):
            guide.write_string(row, 0, "· " + note)
            row += 1
    finally:
        workbook.close()
