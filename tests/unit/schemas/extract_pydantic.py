#!/usr/bin/env python3
"""Write pydantic.json: inputSchemas as pydantic v2 emits them for Python MCP servers.

The Python MCP SDK (FastMCP) builds one pydantic model per tool from the function's
parameters and publishes model_json_schema() as the tool's inputSchema; the models below
use the features such tools commonly declare (Annotated/Field constraints, Optional,
Literal, Enum, nested models in $defs, lists, dicts, formats). Run by hand with pydantic
v2 installed; the unit test reads only the JSON file.
Usage: python3 tests/unit/schemas/extract_pydantic.py
"""
import datetime
import enum
import ipaddress
import json
import pathlib
import uuid
from typing import Annotated, Literal, Optional, Union

import pydantic
from pydantic import AnyUrl, BaseModel, ConfigDict, Field


class Priority(enum.Enum):
    LOW = "low"
    HIGH = "high"


class Attachment(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[\w.-]+$")]
    size: Annotated[int, Field(ge=0, le=10_000_000)]


class create_ticketArguments(BaseModel):
    title: Annotated[str, Field(max_length=80, description="Short summary")]
    body: Optional[str] = None
    priority: Priority = Priority.LOW
    labels: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]] = []
    attachments: list[Attachment] = []
    due: Optional[datetime.date] = None
    assignee_id: Optional[uuid.UUID] = None


class fetchArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: AnyUrl
    method: Literal["GET", "HEAD"] = "GET"
    timeout: Annotated[float, Field(gt=0, le=60)] = 10.0
    headers: dict[str, str] = {}
    retries: Annotated[int, Field(ge=0, le=5, multiple_of=1)] = 0


class Point(BaseModel):
    x: float
    y: float


class scheduleArguments(BaseModel):
    when: datetime.datetime
    host: Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
    path: list[Point] = Field(min_length=1, max_length=3)
    mode: Literal["once"] = "once"
    tags: Annotated[set[str], Field(max_length=5)] = set()


MODELS = {"create_ticket": create_ticketArguments, "fetch": fetchArguments,
          "schedule": scheduleArguments}

out = {"server": f"pydantic {pydantic.VERSION} model_json_schema() (as FastMCP publishes it)",
       "version": pydantic.VERSION,
       "tools": {name: m.model_json_schema(by_alias=True) for name, m in MODELS.items()}}
path = pathlib.Path(__file__).with_name("pydantic.json")
path.write_text(json.dumps(out, indent=2) + "\n")
print(f"{path}: {len(MODELS)} tools")
