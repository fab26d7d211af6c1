"""Dispatch API (/api/v1/dispatch-rounds/): the published rounds the user may read, each with its frozen
entries — what the bulletin said, never recomputed."""

from rest_framework import serializers, viewsets

from bangfu.core.api import ScopedViewSetMixin
from bangfu.dispatch.models import DispatchRound, RoundEntry


class EntrySerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id", read_only=True)

    class Meta:
        model = RoundEntry
        fields = [
            "area_code", "name", "is_total", "values", "targets", "scheduled", "rates", "changes", "rank",
            "previous_rank",
        ]  # fmt: skip
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id", read_only=True)
    entries = EntrySerializer(many=True, read_only=True)

    class Meta:
        model = DispatchRound
        fields = [
            "id", "area_code", "year", "month", "as_of", "title", "figures", "figure_names", "rank_figure",
            "previous", "published_at", "xlsx_sha256", "pdf_sha256", "entries",
        ]  # fmt: skip
        read_only_fields = fields


class DispatchRoundViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """调度通报：本区域及下级发布的，以及上级发布给本区域的通报（发布时冻结的数据）。"""

    queryset = DispatchRound.objects.all()
    serializer_class = RoundSerializer

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("area").prefetch_related("entries").order_by("-year", "-month", "area_id")
        )
