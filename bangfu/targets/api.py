"""Targets API (/api/v1/targets/): the targets of the user's subtree with their progress computed when asked
(never stored); POST sets one through the same action as the page (targets.actions.set_target)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import exceptions, mixins, serializers, viewsets

from bangfu.areas.models import Area
from bangfu.core.api import ScopedViewSetMixin
from bangfu.targets import actions
from bangfu.targets.models import Target
from bangfu.targets.progress import completion


class TargetSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id")
    figure_name = serializers.CharField(read_only=True)
    monthly = serializers.ListField(
        child=serializers.IntegerField(min_value=0, allow_null=True), required=False, max_length=12,
        help_text="1月…12月累计目标，未设的月份为 null",
    )  # fmt: skip
    actual = serializers.SerializerMethodField(help_text="当前指标值（今天，或该年最后一天）")
    rate = serializers.SerializerMethodField(help_text="完成率（%，一位小数）")

    class Meta:
        model = Target
        fields = ["id", "area_code", "year", "figure", "figure_name", "value", "monthly", "actual", "rate",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["id", "figure_name", "actual", "rate", "updated_at"]

    def _actual(self, target) -> int:
        values = self.context.get("values", {})
        return values.get((target.area_id, target.year), {}).get(target.figure, 0)

    def get_actual(self, target) -> int:
        return self._actual(target)

    def get_rate(self, target) -> str | None:
        rate = completion(self._actual(target), target.value)
        return None if rate is None else str(rate)


class TargetViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """目标：本区域及下级的目标和完成情况；POST 设定一个目标（上级有目标时下级合计不能少于它）。"""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer

    def refine_queryset(self, queryset):
        queryset = queryset.select_related("area").order_by("-year", "area_id", "figure")
        year = self.request.query_params.get("year")
        if year and year.isascii() and year.isdigit() and len(year) == 4:
            queryset = queryset.filter(year=int(year))
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["values"] = self._known()
        return context

    def _known(self) -> dict:
        if not hasattr(self, "_values"):
            self._values = {}
        return self._values

    def _with_values(self, targets):
        import datetime as dt

        from bangfu.stats.figures import values

        today = timezone.localdate()
        by_year: dict[int, set] = {}
        areas = {}
        for t in targets:
            by_year.setdefault(t.year, set()).add(t.area_id)
            areas[t.area_id] = t.area
        known = self._known()
        for year, codes in by_year.items():
            on = min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))
            for code, found in values([areas[c] for c in sorted(codes)], on).items():
                known[(code, year)] = found

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self._with_values(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        target = self.get_object()
        self._with_values([target])
        return super().retrieve(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        area = Area.objects.for_user(self.request.user).filter(code=data["area_id"]).first()
        if area is None:
            raise exceptions.ValidationError({"area_code": ["不存在或不在您的管辖区域内。"]})
        try:
            target = actions.set_target(
                self.request.user, area, year=data["year"], figure=data["figure"], value=data["value"],
                monthly=data.get("monthly") or [],
            )  # fmt: skip
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"non_field_errors": exc.messages}) from exc
        serializer.instance = target
        self._with_values([target])
