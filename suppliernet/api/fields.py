"""Input types shared by the endpoints. Every string that comes in goes through `Text`:
text with NUL characters or lone surrogates cannot be stored (PostgreSQL refuses NUL, and
neither is valid UTF-8), so it is a field error instead of a server error."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, Field, model_validator


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]


def text(max_length: int, **kwargs) -> type[str]:
    return Annotated[Text, Field(max_length=max_length, **kwargs)]  # type: ignore[return-value]


class Input(Schema):
    """A request body: an unknown field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class NestedInput(Input):
    """An object inside a body: ninja's schemas read attributes of any value (`3` would be a
    valid object with every field left out), so only a JSON object is taken."""

    @model_validator(mode="before")
    @classmethod
    def _object(cls, data: Any) -> Any:
        # ninja validates a body object twice: as sent, then wrapped in its DjangoGetter.
        if not isinstance(data, dict | DjangoGetter):
            raise ValueError("must be an object")
        return data
