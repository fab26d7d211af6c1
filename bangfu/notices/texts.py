"""Message texts, in one place so that a province can reword them. Each is a `str.format` template; the
SMS prefix (签名) comes from `BANGFU_SMS_SIGNATURE`. A dict is keyed by the referral status it is for; a
status without an entry sends nothing."""

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
    # A step of a referral: the inbox of the other side, and the laborer's text message.
    "step_title": "推荐进展：{name} → {job}：{status}",
    "step_body": "{actor}将 {name} 推荐到“{job}”（{employer}）的状态改为“{status}”。{detail}",
    "step_laborer_sms": {
        "有意向": "{name}您好：{employer}对您应聘岗位“{job}”有意向，将与您联系，请保持电话畅通。",
        "面试": "{name}您好：{employer}邀请您参加岗位“{job}”的面试，时间{when}，{where}。",
        "录用": "{name}您好：恭喜您被{employer}岗位“{job}”录用，入职日期{started_on}。",
        "未录用": "{name}您好：{employer}岗位“{job}”这次未录用您，人社部门会继续为您推荐岗位。",
    },
    # The laborer's own answer to a referral (劳动者自助服务): the inbox of the staff and the employer.
    "laborer_answer_title": "推荐回复：{name} 对“{job}”{answer}",
    "laborer_answer_body": "{name} 本人在劳动者自助服务中回复推荐到“{job}”（{employer}）：{answer}。{detail}",
    # The laborer's sign-in code (劳动者自助服务); the outbox keeps it with the code hidden.
    "sign_in_code_sms": (
        "您的登录验证码是{code}，{minutes}分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。"
    ),
    # Where an interview is, in a text message (online: the link) and in the inbox.
    "interview_online_sms": "线上视频面试，请用手机打开链接参加：{url}",
    "interview_on_site_sms": "地点：{venue}",
    "interview_detail": "面试时间 {when}，{where}{link}",
    # Another interview of a referral already at 面试 (a second round, a new time).
    "interview_title": "面试安排：{name} → {job}，{when}",
    # Job fairs.
    "fair_invitation_sms": (
        "{name}您好：诚邀您参加{fair}（{when}，{venue}），有适合您的岗位“{job}”（{employer}）。"
    ),
    "fair_invitation_title": "招聘会邀请：{fair}",
    "fair_invitation_body": (
        "{fair}（{when}，{venue}）已按匹配结果邀请 {count} 名劳动力参加{best}，请届时到场招聘。"
    ),
}


def render(key: str, variant: str | None = None, **values) -> str:
    template = TEXTS[key]
    if isinstance(template, dict):
        template = template.get(variant or "", "")
    return template.format(**values).strip() if template else ""
