"""The refusals every operation may answer, added to the OpenAPI schema so that clients (and the
schemathesis run in the suite) know every status the API gives."""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A refused input names each field with its messages ({"year": ["…"]}), or `detail`.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}
REFUSALS = {
    "400": (
        "A parameter or field the portal cannot use, or a move the record's status refuses.",
        "FieldErrors",
    ),
    "401": ("No valid token or session (a revoked token included).", "Error"),
    "403": ("The token's owner may not do this, or the token may only read.", "Error"),
    "404": ("No such object, or not one its owner's pages show.", "Error"),
    "429": ("Too many requests in this minute: retry after the Retry-After header's seconds.", "Error"),
}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["FieldErrors"] = FIELD_ERRORS
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, (description, schema) in REFUSALS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                        },
                    },
                )
    return result
