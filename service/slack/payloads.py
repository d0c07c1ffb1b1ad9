"""The shape of what Slack sends, as far as Bolt and the bot read it: checked before Bolt sees a payload.

Bolt trusts a signed payload to be Slack's (an `event` that is a list, a `user` that is a number, no `actions`
in a block_actions: each is an AttributeError or an IndexError deep inside it, and a 500). Slack never sends
those; whoever holds the signing secret and sends one gets a 400 that names the field instead.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class _Open(BaseModel):
    """Slack adds fields over time: unknown ones pass, known ones must have their type."""

    model_config = ConfigDict(extra="allow")
    #: Fields Bolt reads as `.get(name, {})`: present, they must be objects, never null.
    _objects: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _objects_are_objects(self):
        for name in self._objects:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"`{name}` must be an object, not null")
        return self


class _Ref(_Open):
    """A team, user, channel or enterprise given as an object."""

    id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None


Ref = str | _Ref


class _Part(_Open):
    """A nested object Bolt looks into for ids (a message, an item, a view, a container, ...)."""

    user: Ref | None = None
    user_id: str | None = None
    team: Ref | None = None
    team_id: str | None = None
    enterprise: Ref | None = None
    enterprise_id: str | None = None
    channel: Ref | None = None
    channel_id: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    message_ts: str | None = None
    subtype: str | None = None
    bot_id: str | None = None
    app_installed_team_id: str | None = None
    execution_id: str | None = None
    inputs: dict[str, Any] | None = None


class _Event(_Open):
    _objects: ClassVar[tuple[str, ...]] = ("function", "tokens")

    type: str
    subtype: str | None = None
    user: Ref | None = None
    user_id: str | None = None
    team: str | None = None
    user_team: str | None = None
    channel: Ref | None = None
    channel_id: str | None = None
    channel_type: str | None = None
    text: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    event_ts: str | None = None
    bot_id: str | None = None
    enterprise: Ref | None = None
    enterprise_id: str | None = None
    message: _Part | None = None
    previous_message: _Part | None = None
    item: _Part | None = None
    assistant_thread: _Part | None = None
    function_execution_id: str | None = None
    bot_access_token: str | None = None
    inputs: dict[str, Any] | None = None
    function: dict[str, Any] | None = None
    tokens: dict[str, Any] | None = None


class _Authorization(_Open):
    team_id: str | None = None
    user_id: str | None = None
    enterprise_id: str | None = None
    enterprise: Ref | None = None
    team: Ref | None = None
    is_bot: bool | None = None
    is_enterprise_install: bool | None = None


class _Action(_Open):
    action_id: str
    block_id: str | None = None
    value: str | None = None
    type: str | None = None


class _ResponseUrl(_Open):
    response_url: str | None = None


class SlackPayload(_Open):
    """An Events API delivery, a slash command (form fields) or an interaction's `payload`."""

    _objects: ClassVar[tuple[str, ...]] = ("event", "view")

    type: str | None = None
    token: str | None = None
    challenge: str | None = None
    ssl_check: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None
    api_app_id: str | None = None
    event_id: str | None = None
    event_time: int | None = None
    event: _Event | None = None
    authorizations: list[_Authorization] | None = None
    is_ext_shared_channel: bool | None = None
    context_team_id: str | None = None
    context_enterprise_id: str | None = None
    command: str | None = None
    text: str | None = None
    user_id: str | None = None
    channel_id: str | None = None
    trigger_id: str | None = None
    response_url: str | None = None
    response_urls: list[_ResponseUrl] | None = None
    callback_id: str | None = None
    action_id: str | None = None
    user: Ref | None = None
    team: Ref | None = None
    enterprise: Ref | None = None
    channel: Ref | None = None
    actions: list[_Action] | None = Field(None, min_length=1)
    container: _Part | None = None
    message: _Part | None = None
    previous_message: _Part | None = None
    view: _Part | None = None
    function_data: _Part | None = None
    function_execution_id: str | None = None
    bot_access_token: str | None = None
    assistant_thread: _Part | None = None
    item: _Part | None = None

    @model_validator(mode="after")
    def _parts_of_its_type(self):
        if self.type == "event_callback" and self.event is None:
            raise ValueError("an event_callback needs an `event` object")
        if self.type == "block_actions" and not self.actions:
            raise ValueError("a block_actions payload needs `actions`")
        return self


def payload_problem(payload: dict) -> str | None:
    """Why Bolt could not read this payload, in one line naming the field; None when it can."""
    try:
        SlackPayload.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "payload"
        return f"{where}: {first['msg']}"
    return None
