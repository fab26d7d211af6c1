"""The published OpenAPI schema says what the API answers (drf-spectacular, /api/v1/schema/).

Two things drf-spectacular leaves out on its own:
- a read-only choice stored blank: DRF drops `allow_blank` from read-only fields, so the schema listed only
  the choices while records answer "" (a person whose 性别 is not recorded). `AutoSchema` adds "" back
  (drf-spectacular names it BlankEnum) wherever the model field may be blank.
- the errors: `document_errors` gives every operation the Chinese error bodies `core.api.exception_handler`
  writes — 400 where a request carries a body or query parameters, 401 and 403 where a login is needed,
  404 where a path names a record or a list is paged (a page past the end).
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

ERROR = {
    "type": "object",
    "description": "错误说明（中文）。",
    "properties": {"detail": {"type": "string", "description": "错误说明"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "提交或查询的数据有误：总的说明，以及每个字段的问题。",
    "properties": {
        "detail": {"type": "string", "description": "总的说明"},
        "errors": {
            "description": "按字段列出的问题（字段名 → 说明列表）；"
            "不属于某个字段的问题在 non_field_errors 下，或为说明列表。",
            "oneOf": [
                {"type": "object", "additionalProperties": {}},
                {"type": "array", "items": {}},
            ],
        },
    },
    "required": ["detail"],
}


# For views that document their errors themselves: extend_schema(responses={400: ErrorSerializer}).
class ErrorSerializer(serializers.Serializer):
    """错误说明（中文）。"""

    detail = serializers.CharField(help_text="错误说明")


RESPONSES = {
    "400": ("提交或查询的数据有误。", "ValidationError"),
    "401": ("未登录，或令牌无效、已过期。", "Error"),
    "403": ("没有权限（如非工作人员账号、需先修改密码、无相应权限）。", "Error"),
    "404": ("未找到：不存在或不在您的管辖区域内（分页时为页码超出范围）。", "Error"),
}


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and isinstance(schema.get("enum"), list)
            and "" not in schema["enum"]
            and _model_field_may_be_blank(field)
        ):
            schema["enum"] = [*schema["enum"], ""]
        return schema


def _model_field_may_be_blank(field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in (field.source or ""):
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return False
    return bool(model_field.blank)


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error responses of every operation, and their shapes."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code in _error_codes(path, method, operation):
                description, component = RESPONSES[code]
                body = {"schema": {"$ref": f"#/components/schemas/{component}"}}
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": body}}
                )
    return result


def _error_codes(path: str, method: str, operation: dict) -> list[str]:
    parameters = operation.get("parameters", [])
    paged = any(p.get("name") == "page" and p.get("in") == "query" for p in parameters)
    codes = []
    if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
        codes.append("400")
    security = operation.get("security") or []
    if security and {} not in security:  # a login is needed
        codes += ["401", "403"]
    if "{" in path or paged:
        codes.append("404")
    return codes
