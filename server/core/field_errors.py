"""A 422 that names every wrong field at once (a form), each with its own message."""

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api_client.messages import message_for
from api_client.models.applications import FieldError, FieldErrorsBody
from server.core.errors import ApiError, request_language


class FieldErrors(ApiError):
    """`problems` maps a field path (form.name, materials.id_card) to an error code."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__(422, "form_invalid", next(iter(problems), None))
        self.problems = dict(problems)


def install_field_errors_handler(app: FastAPI) -> None:
    @app.exception_handler(FieldErrors)
    async def field_errors(request: Request, exc: FieldErrors) -> JSONResponse:
        language = request_language(request)
        body = FieldErrorsBody(
            code=exc.code,
            message=message_for(exc.code, language),
            field=exc.field,
            errors=[FieldError(field=f, code=c, message=message_for(c, language)) for f, c in exc.problems.items()],
        )
        return JSONResponse(body.model_dump(), status_code=422)
