"""The video-meeting service for online interviews: a self-hosted one (e.g. Jitsi Meet on the department's
network) named by `BANGFU_MEETING_URL_PATTERN`. Without it online interviews are not offered at all, so no
made-up link can reach a laborer by text message (docs/operations.md, Online interviews)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError

UNAVAILABLE = (
    "未配置视频会议服务，暂不能安排线上面试：请安排现场面试，"
    "或请系统管理员按运维文档配置本单位自建的视频会议服务（如 Jitsi Meet）。"
)


def pattern() -> str:
    return settings.BANGFU_MEETING_URL_PATTERN.strip()


def available() -> bool:
    """Whether online interviews can be booked: a meeting service is configured."""
    return bool(pattern())


def url(token: str) -> str:
    """The meeting link of one interview; refuses when no service is configured."""
    if not available():
        raise ValidationError(UNAVAILABLE)
    return pattern().format(token=token)


@checks.register(checks.Tags.compatibility)
def check_pattern(app_configs=None, **kwargs):
    """A set but unusable pattern stops the server at start instead of reaching laborers as a broken link."""
    value = pattern()
    if not value:
        return []
    problems = []
    if "{token}" not in value:
        problems.append("不含 {token}（每场面试的会议口令），所有面试会进入同一个会议")
    if not value.startswith("https://"):
        problems.append("不是 https:// 地址（浏览器只在 HTTPS 页面上允许使用摄像头和麦克风）")
    try:
        value.format(token="x")
    except (KeyError, IndexError, ValueError):
        problems.append("除 {token} 外含有其他花括号")
    return [
        checks.Error(
            f"BANGFU_MEETING_URL_PATTERN={value!r} {p}。",
            hint="例如 https://meet.rsj.example.gov.cn/bangfu-{token}；见运维文档“线上面试”。",
            id="fairs.E001",
        )
        for p in problems
    ]
