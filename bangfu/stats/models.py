"""Kept figures: each village's §8 figures of a day, captured by the nightly task once the day is over,
so that a past day answers as it was then whatever is edited or deleted later (stats/figures.py)."""

from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet


class CapturedDay(models.Model):
    """A day whose figures were captured for every village (`DailyFigures`), and when."""

    day = models.DateField("统计日期", unique=True)
    captured_at = models.DateTimeField("生成时间")
    villages = models.PositiveIntegerField("村数", default=0)
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "已保存统计日"
        verbose_name_plural = "已保存统计日"
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day}"


class DailyFigures(models.Model):
    """One village's figures at the end of one day. Only villages with people have a row."""

    day = models.DateField("统计日期")
    area = models.ForeignKey(
        Area,
        verbose_name="村",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )  # indexed by (day, area)
    people = models.PositiveIntegerField("人数", default=0)
    laborers = models.PositiveIntegerField("劳动力人数", default=0)
    working = models.PositiveIntegerField("务工人数", default=0)
    working_county = models.PositiveIntegerField("县内务工人数", default=0)
    working_province = models.PositiveIntegerField("省内县外务工人数", default=0)
    working_outside = models.PositiveIntegerField("省外务工人数", default=0)
    working_in_year = models.PositiveIntegerField("年内务工人数", default=0)
    organised = models.PositiveIntegerField("有组织输出人数", default=0)
    welfare_post = models.PositiveIntegerField("公益性岗位在岗人数", default=0)
    not_working = models.PositiveIntegerField("未务工劳动力人数", default=0)
    willing_not_working = models.PositiveIntegerField("有就业意愿未务工人数", default=0)
    zero_employment_households = models.PositiveIntegerField("零就业户数", default=0)
    trained = models.PositiveIntegerField("培训人数", default=0)
    training_need = models.PositiveIntegerField("有培训需求人数", default=0)
    training_need_met = models.PositiveIntegerField("应训已训人数", default=0)
    trained_employed = models.PositiveIntegerField("培训后就业人数", default=0)
    entrepreneurs = models.PositiveIntegerField("创业人数", default=0)
    jobs_created = models.PositiveIntegerField("带动就业人数", default=0)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村每日统计"
        verbose_name_plural = "村每日统计"
        constraints = [models.UniqueConstraint(fields=["day", "area"], name="stats_dailyfigures_day_area")]

    def __str__(self):
        return f"{self.area_id} {self.day}"


class StaleVillage(models.Model):
    """A village whose kept figures of today no longer hold (a record or a person of it changed since they
    were computed): the next read computes it again before answering (stats/store.py)."""

    area = models.OneToOneField(
        Area,
        verbose_name="村",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    marked_at = models.DateTimeField("标记时间")

    class Meta:
        verbose_name = "待重算村"
        verbose_name_plural = "待重算村"

    def __str__(self):
        return self.area_id
