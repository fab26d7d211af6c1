"""`/api/v1/stats/`: the statistics table of an area on a day (EXCHANGE §8 figures), as the page shows it:
a row per sub-area and the total. The area must lie in the user's subtree (else 404)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bangfu.core.schema import ErrorSerializer
from bangfu.stats import figures, store
from bangfu.stats.views import area_param, day_param, sort_param, sorted_rows


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指标代码（如 working_outside）")
    name = serializers.CharField(help_text="指标名称（如 省外务工人数）")
    unit = serializers.CharField(help_text="单位：人 或 户")


class StatsRowSerializer(serializers.Serializer):
    area_code = serializers.CharField(source="area.code", help_text="区划代码")
    area_name = serializers.CharField(source="area.name", help_text="区划名称")
    values = serializers.DictField(child=serializers.IntegerField(), help_text="各指标的值，以指标代码为键")


class StatsTableSerializer(serializers.Serializer):
    area_code = serializers.CharField(help_text="所查区域")
    area_name = serializers.CharField(help_text="所查区域名称")
    on = serializers.DateField(help_text="统计日期")
    kept_at = serializers.DateTimeField(
        allow_null=True, help_text="该日统计的保存时间；null 表示按就业记录和名册修改记录计算"
    )
    figures = FigureSerializer(many=True, help_text="指标（列）")
    rows = StatsRowSerializer(many=True, help_text="每个下级区域一行（村级区域没有）")
    total = StatsRowSerializer(help_text="合计：所查区域本身")


class StatsView(APIView):
    @extend_schema(
        summary="统计：区域各下级区域及合计的统计指标（EXCHANGE §8），可查任一过去日期",
        parameters=[
            OpenApiParameter(
                "area", str, description="区划代码（默认本人所在区域；须在本人辖区内，否则 404）"
            ),
            OpenApiParameter("on", str, description="统计日期 YYYY-MM-DD（默认今天）"),
            OpenApiParameter(
                "sort", str, enum=["code", "name", *figures.KEYS], description="下级区域的排序（默认代码）"
            ),
            OpenApiParameter("dir", str, enum=["asc", "desc"], description="desc 为从大到小"),
        ],
        responses={200: StatsTableSerializer, 404: ErrorSerializer},
    )
    def get(self, request, format=None):
        area, on = area_param(request), day_param(request)
        rows, total = figures.table(area, on)
        sort, descending = sort_param(request)
        data = {
            "area_code": area.code,
            "area_name": area.name,
            "on": on,
            "kept_at": store.captured_at(on),
            "figures": figures.FIGURES,
            "rows": sorted_rows(rows, sort, descending),
            "total": total,
        }
        return Response(StatsTableSerializer(data).data)
