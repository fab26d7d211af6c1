"""The files a bulletin (通报) and the annual report are published as: an .xlsx (xlsxwriter, with a bar
chart) and a PDF (reportlab, Chinese text in its built-in CID font STSong-Light, which needs no font file,
and a bar chart drawn with reportlab graphics). Plain Python: a `Sheet` in, bytes out. The same sheet always
gives the same bytes (no creation time or random id inside the files)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

FONT = "STSong-Light"
FIXED = dt.datetime(2000, 1, 1)  # written as the files' creation time, so equal sheets give equal bytes


@dataclass
class Sheet:
    title: str
    lines: list[str]  # under the title: the date, the deadline, what the ranking is by
    header: list[str]
    rows: list[list[object]]  # the last may be 合计
    chart_title: str = ""
    chart: list[tuple[str, float]] = field(default_factory=list)  # (label, value) bars
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Files:
    xlsx: bytes
    pdf: bytes


def xlsx_bytes(sheet: Sheet) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": sheet.title, "created": FIXED})
    ws = book.add_worksheet("通报" if "通报" in sheet.title else "报告")
    bold = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    cell = book.add_format({"border": 1})
    ws.write(0, 0, sheet.title, bold)
    for i, line in enumerate(sheet.lines, 1):
        ws.write(i, 0, line)
    top = len(sheet.lines) + 2
    for c, name in enumerate(sheet.header):
        ws.write(top, c, name, head)
        ws.set_column(c, c, max(10, len(str(name)) * 2 + 2))
    for r, values in enumerate(sheet.rows, top + 1):
        for c, value in enumerate(values):
            ws.write(r, c, "" if value is None else value, cell)
    below = top + len(sheet.rows) + 2
    for i, note in enumerate(sheet.notes):
        ws.write(below + i, 0, note)
    if sheet.chart:
        data = book.add_worksheet("图表数据")
        for r, (label, value) in enumerate(sheet.chart):
            data.write(r, 0, label)
            data.write(r, 1, value)
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": sheet.chart_title,
                "categories": ["图表数据", 0, 0, len(sheet.chart) - 1, 0],
                "values": ["图表数据", 0, 1, len(sheet.chart) - 1, 1],
            }
        )
        chart.set_title({"name": sheet.chart_title})
        chart.set_legend({"none": True})
        ws.insert_chart(below + len(sheet.notes) + 1, 0, chart, {"x_scale": 1.6, "y_scale": 1.2})
    book.close()
    return out.getvalue()


def pdf_bytes(sheet: Sheet) -> bytes:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title_style = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
    text_style = ParagraphStyle("text", fontName=FONT, fontSize=10, leading=14)
    cell_style = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), title=sheet.title, author="帮扶", creator="bangfu", invariant=1,
        leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
    )  # fmt: skip
    story = [Paragraph(_escape(sheet.title), title_style), Spacer(1, 4 * mm)]
    story += [Paragraph(_escape(line), text_style) for line in sheet.lines]
    story.append(Spacer(1, 4 * mm))
    data = [[Paragraph(_escape(str(h)), cell_style) for h in sheet.header]]
    data += [[Paragraph(_escape("" if v is None else str(v)), cell_style) for v in row] for row in sheet.rows]
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(table)
    if sheet.chart:
        story.append(Spacer(1, 6 * mm))
        story.append(_bar_chart(sheet, Drawing, String, VerticalBarChart, colors))
    story.append(Spacer(1, 4 * mm))
    story += [Paragraph(_escape(note), text_style) for note in sheet.notes]
    doc.build(story)
    return out.getvalue()


def _bar_chart(sheet: Sheet, Drawing, String, VerticalBarChart, colors):
    width, height = 720, 220
    drawing = Drawing(width, height)
    drawing.add(
        String(width / 2, height - 14, sheet.chart_title, fontName=FONT, fontSize=11, textAnchor="middle")
    )
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 50, 45, width - 80, height - 75
    chart.data = [[float(value) for _, value in sheet.chart]]
    chart.categoryAxis.categoryNames = [label for label, _ in sheet.chart]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(sheet.chart) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(sheet.chart) > 8 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#4472C4")
    drawing.add(chart)
    return drawing


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def files(sheet: Sheet) -> Files:
    return Files(xlsx_bytes(sheet), pdf_bytes(sheet))


# --- a round as a sheet ------------------------------------------------------------------------------


def round_sheet(round_, entries: Sequence) -> Sheet:
    """A dispatch round's bulletin: per child area each figure, and where it has a target the target, the
    month's schedule, completion; the rank and its move; the change since the previous round."""
    keys, names = round_.figures, round_.figure_names
    header = ["排名", "区域"]
    for key in keys:
        header.append(names[key])
        if any(key in e.targets for e in entries):
            header += [f"{names[key]}目标", f"{names[key]}本月累计目标", f"{names[key]}完成率"]
        if round_.previous_id:
            header.append(f"{names[key]}较上期")
    if round_.previous_id:
        header.append("排名变化")
    rows = []
    ordered = sorted(
        (e for e in entries if not e.is_total), key=lambda e: (e.rank is None, e.rank or 0, e.position)
    ) + [e for e in entries if e.is_total]
    for e in ordered:
        row: list[object] = ["" if e.is_total else (e.rank or "—"), e.name]
        for key in keys:
            row.append(e.values.get(key, 0))
            if any(key in x.targets for x in entries):
                row += [
                    e.targets.get(key, "—"),
                    e.scheduled.get(key, "—"),
                    f"{e.rates[key]}%" if key in e.rates else "—",
                ]
            if round_.previous_id:
                change = e.changes.get(key)
                row.append("—" if change is None else f"{change:+d}")
        if round_.previous_id:
            move = e.rank_move if not e.is_total else None
            row.append("—" if move is None else ("持平" if move == 0 else f"{move:+d}"))
        rows.append(row)
    rank_name = names[round_.rank_figure]
    by_rate = any(round_.rank_figure in e.rates for e in entries)
    lines = [
        f"数据截至 {round_.as_of:%Y年%m月%d日}，发布于 {round_.published_at:%Y年%m月%d日}。",
        f"排名依据：{rank_name}{'完成率' if by_rate else ''}。完成率 = 指标值 ÷ 年度目标。",
    ]
    chart_key = round_.rank_figure
    chart = [
        (
            e.name,
            float(e.rates[chart_key]) if by_rate and chart_key in e.rates else e.values.get(chart_key, 0),
        )
        for e in entries
        if not e.is_total
    ]
    return Sheet(
        title=round_.title,
        lines=lines,
        header=header,
        rows=rows,
        chart_title=f"{rank_name}{'完成率（%）' if by_rate else ''}",
        chart=chart,
        notes=["本通报由系统根据各地录入的名册和就业记录自动统计生成，发布后不再改动。"],
    )


def write_round(round_, entries: Sequence) -> Files:
    return files(round_sheet(round_, entries))
