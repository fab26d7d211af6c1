"""Public-welfare posts API: /api/v1/welfare-posts/ (the posts, filtered as the list page is),
/api/v1/welfare-post-holders/ (holders' spells, ID numbers masked) and /api/v1/welfare-post-duty/ (the
monthly duty, ?month=YYYY-MM). Read-only; writes go through the pages and the imports."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from bangfu.core.api import ScopedReadOnlyViewSet
from bangfu.posts.filters import PostFilter, SpellFilter
from bangfu.posts.models import Duty, Post, Spell


class PostSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Post
        fields = ["id", "number", "area_code", "area_name", "kind", "title", "duties", "host_unit",
                  "opened_on", "closed_on"]  # fmt: skip


class SpellSerializer(serializers.ModelSerializer):
    post_number = serializers.CharField(source="post.number", read_only=True)
    area_code = serializers.CharField(source="area_id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id", read_only=True, help_text="证件号码（脱敏）")

    class Meta:
        model = Spell
        fields = ["id", "post", "post_number", "area_code", "person", "name", "id_number", "started_on",
                  "ended_on"]  # fmt: skip


class DutySerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Duty
        fields = ["id", "person", "name", "area_code", "month", "days_on_duty", "days_due", "updated_at"]


class PostViewSet(ScopedReadOnlyViewSet):
    """公益性岗位：本区域及下级的岗位。"""

    queryset = Post.objects.all()
    serializer_class = PostSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PostFilter

    def refine_queryset(self, queryset):
        return queryset.select_related("area").order_by("area_id", "number")


class SpellViewSet(ScopedReadOnlyViewSet):
    """公益性岗位在岗人员：每段在岗经历一条（证件号码脱敏）。"""

    queryset = Spell.objects.all()
    serializer_class = SpellSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SpellFilter

    def refine_queryset(self, queryset):
        return queryset.select_related("post", "person").order_by(
            "area_id", "post__number", "started_on", "id"
        )


class DutyViewSet(ScopedReadOnlyViewSet):
    """公益性岗位出勤：每人每月一条；?month=YYYY-MM 只列该月。"""

    queryset = Duty.objects.all()
    serializer_class = DutySerializer

    def refine_queryset(self, queryset):
        queryset = queryset.select_related("person").order_by("-month", "area_id", "person_id")
        month = self.request.query_params.get("month", "")
        if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
            queryset = queryset.filter(month=month)
        return queryset
