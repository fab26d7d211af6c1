"""What an attachment may be: the office documents, scans and photos a 督办 reply or a rectification's
evidence is made of, no larger than BANGFU_ATTACHMENT_MB, at most MAX_FILES at a time. Checked by the
actions, so the pages and the API refuse alike. Files are always sent back as downloads, never shown
inline (supervision/views.attachment_download)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

EXTENSIONS = (
    ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".csv", ".txt",
    ".jpg", ".jpeg", ".png", ".zip", ".rar",
)  # fmt: skip
MAX_FILES = 10
ACCEPT = ",".join(EXTENSIONS)  # the file input's accept attribute


def max_bytes() -> int:
    return settings.BANGFU_ATTACHMENT_MB * 1024 * 1024


def allowed_text() -> str:
    kinds = "、".join(e.lstrip(".") for e in EXTENSIONS)
    return f"支持 {kinds}；每个不超过 {settings.BANGFU_ATTACHMENT_MB} MB，一次最多 {MAX_FILES} 个。"


def check_uploads(uploads) -> list:
    """The uploads as a list, or a ValidationError naming each file refused and why."""
    uploads = [u for u in uploads or () if u is not None]
    if len(uploads) > MAX_FILES:
        raise ValidationError(f"一次最多上传 {MAX_FILES} 个附件。")
    problems = []
    for upload in uploads:
        name = Path(upload.name or "").name
        if Path(name).suffix.lower() not in EXTENSIONS:
            problems.append(f"“{name}”的类型不支持（{allowed_text()}）")
        elif upload.size == 0:
            problems.append(f"“{name}”是空文件。")
        elif upload.size > max_bytes():
            problems.append(f"“{name}”超过 {settings.BANGFU_ATTACHMENT_MB} MB。")
    if problems:
        raise ValidationError(problems)
    return uploads


def clean_name(name: str) -> str:
    """The name a user uploaded, without any folder, at most 200 characters (keeping the extension)."""
    name = Path(name or "附件").name.replace("\x00", "")
    if len(name) > 200:
        suffix = Path(name).suffix[:20]
        name = name[: 200 - len(suffix)] + suffix
    return name
