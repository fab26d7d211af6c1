"""Message texts, in one place so that a province can reword them. Each is a `str.format` template; the
SMS prefix (签名) comes from `BANGFU_SMS_SIGNATURE`."""

TEXTS = {
    # A new referral.
    "referral_laborer_sms": (
        "{name}您好：人社部门为您推荐了岗位“{job}”（{employer}，工作地{work_area}，{wage}）。"
        "有意向请回复或联系{contact}。"
    ),
    "referral_employer_sms": (
        "{employer}：人社部门向贵单位岗位“{job}”推荐了求职者{name}，请登录帮扶平台企业端查看并回复。"
    ),
    "referral_employer_title": "新推荐：{name} → {job}",
    "referral_employer_body": (
        "人社部门向岗位“{job}”推荐了 {name}（{age} 岁，{education}）。请在“推荐回复”中答复。"
    ),
    # A step of a referral.
    "step_title": "推荐进展：{name} → {job}：{status}",
    "step_body": "{actor}将 {name} 推荐到“{job}”（{employer}）的状态改为“{status}”。{note}",
    "step_laborer_sms": {
        "面试": "{name}您好：{employer}邀请您参加岗位“{job}”的面试，请留意单位联系。{note}",
        "录用": "{name}您好：恭喜您被{employer}岗位“{job}”录用。{note}",
        "未录用": "{name}您好：{employer}岗位“{job}”这次未录用您，人社部门会继续为您推荐岗位。",
    },
    # Job fairs and interviews.
    "fair_invitation_sms": (
        "{name}您好：诚邀您参加{fair}（{when}，{venue}），有适合您的岗位“{job}”（{employer}）。"
    ),
    "interview_sms": "{name}您好：{employer}岗位“{job}”的线上面试定于{when}，请用手机打开链接参加：{url}",
    "interview_title": "线上面试：{name} → {job}，{when}",
    "interview_body": "面试链接：{url}",
}


def render(key: str, variant: str | None = None, **values) -> str:
    template = TEXTS[key]
    if isinstance(template, dict):
        template = template.get(variant or "", "")
    return template.format(**values).strip() if template else ""
