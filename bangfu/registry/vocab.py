"""The registry's enumerated values, exactly as EXCHANGE.md §1 (a public contract) spells them."""

RELATIONS = (
    "户主",
    "配偶",
    "之子",
    "之女",
    "之儿媳",
    "之女婿",
    "之孙子",
    "之孙女",
    "之外孙子",
    "之外孙女",
    "之父",
    "之母",
    "之岳父",
    "之岳母",
    "之公公",
    "之婆婆",
    "之祖父",
    "之祖母",
    "之兄弟姐妹",
    "其他",
)
SEXES = ("男", "女")
ETHNICITIES = (
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
    "其他",
)
EDUCATIONS = ("文盲或半文盲", "小学", "初中", "高中", "中专", "大专", "本科及以上")
STUDENT_STATUSES = (
    "学前教育",
    "小学",
    "七年级",
    "八年级",
    "九年级",
    "高中",
    "中职",
    "高职",
    "大专",
    "本科及以上",
    "非在校生",
)
HEALTH = ("健康", "长期慢性病", "患有大病", "残疾")
LABOR_SKILLS = ("技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力")
# Labor skills that make a member of working age a laborer (劳动力).
LABOR_ABLE = ("技能劳动力", "普通劳动力", "弱劳动力或半劳动力")
EMPLOYMENT_STATUSES = ("县内务工", "省内县外务工", "省外务工", "未务工")
EMPLOYED = ("县内务工", "省内县外务工", "省外务工")
HOUSEHOLD_TYPES = ("脱贫户", "监测户", "一般农户")
MONITORING_TYPES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
DESIRED_REGIONS = ("县内", "省内", "省外", "不限")
YES_NO = ("是", "否")
POVERTY_EXIT_YEARS = range(2014, 2021)
POVERTY_CAUSES = (
    "因病",
    "因残",
    "因学",
    "因灾",
    "缺土地",
    "缺水",
    "缺技术",
    "缺劳力",
    "缺资金",
    "交通条件落后",
    "自身发展动力不足",
    "其他",
)


# 社会保障与身份: not §1 columns. Data comparison keeps them true from other departments' files
# (EXCHANGE.md §3 spells the values; compare/sources.py reads them from here); the person form offers them.
PENSION_KINDS = ("城乡居民养老保险", "企业职工养老保险", "机关事业单位养老保险")
INSURANCE_STATUSES = ("参保缴费", "暂停缴费", "终止参保", "领取待遇")
UNINSURED = "未参保"
PENSION_STATUSES = (*INSURANCE_STATUSES, UNINSURED)
DISABILITY_CATEGORIES = ("视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾")
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")
MEDICAL_STATUSES = ("参保", UNINSURED)


def choices(values) -> list[tuple[str, str]]:
    return [(v, v) for v in values]
