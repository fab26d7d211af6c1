"""/api/v1/ledgers/<key>/: each ledger's rows as JSON, filtered by its FilterSet, ID numbers and phones
masked (as every API list), one viewset per registered ledger, made from its definition."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets

from bangfu.ledgers.base import LEDGERS, Ledger


class _RowSerializer(serializers.Serializer):
    """A ledger's row ({column key: cell}); its fields are declared per ledger for the schema."""

    ledger: Ledger

    def to_representation(self, values):
        cells = self.ledger.page_rows([values])[0]
        return {column.key: cell for column, cell in zip(self.ledger.columns, cells, strict=True)}


def _serializer(ledger: Ledger) -> type[serializers.Serializer]:
    fields = {
        c.key: serializers.IntegerField(read_only=True, allow_null=True, label=c.title)
        if c.number
        else serializers.CharField(read_only=True, label=c.title)
        for c in ledger.columns
    }
    name = "".join(part.title() for part in ledger.key.split("_")) + "LedgerRowSerializer"
    return type(name, (_RowSerializer,), {**fields, "ledger": ledger, "__module__": __name__})


def _viewset(ledger: Ledger) -> type[viewsets.GenericViewSet]:
    class LedgerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
        serializer_class = _serializer(ledger)
        filter_backends = [DjangoFilterBackend]
        filterset_class = ledger.filterset
        queryset = ledger.filterset._meta.model.objects.none()  # the model, for the schema

        def get_queryset(self):
            if getattr(self, "swagger_fake_view", False):
                return self.queryset
            return ledger.records(self.request.user, self.request.user.area)

        def list(self, request, *args, **kwargs):
            records = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(ledger.values(records))
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

    LedgerViewSet.__name__ = LedgerViewSet.__qualname__ = (
        "".join(part.title() for part in ledger.key.split("_")) + "LedgerViewSet"
    )
    LedgerViewSet.__doc__ = f"{ledger.title}：{ledger.description}"
    return LedgerViewSet


def ledger_routes():
    """(prefix, viewset, basename) for the router, one per registered ledger."""
    return [(f"ledgers/{key}", _viewset(ledger), f"ledger-{key}") for key, ledger in LEDGERS.items()]
