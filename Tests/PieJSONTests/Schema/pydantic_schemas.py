"""Schemas as pydantic (pinned in scripts/install-deps.sh) writes them for the argument types MCP
servers use, with one valid value each, for PydanticSchemaTests.

Prints one JSON line per model: {"name": ..., "schema": <model_json_schema()>, "valid": <a value of
the model dumped with mode="json">}. model_json_schema() in validation mode is what the Python
`mcp` SDK's MCPServer lists as a tool's inputSchema (the function's parameters as a model).
"""
import datetime
import decimal
import enum
import ipaddress
import json
import pathlib
import uuid
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, conint, conlist, constr
from typing_extensions import TypedDict


class Color(str, enum.Enum):
    red = "red"
    green = "green"


class Level(enum.IntEnum):
    low = 1
    high = 2


class Address(TypedDict):
    street: str
    zip: Annotated[str, Field(pattern=r"^\d{5}$")]


class Node(BaseModel):
    value: int
    children: list["Node"] = []


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


class Scalars(BaseModel):
    text: str
    count: int
    ratio: float
    flag: bool
    nothing: None = None
    anything: Any = None


class Times(BaseModel):
    at: datetime.datetime
    day: datetime.date
    clock: datetime.time
    span: datetime.timedelta
    id: uuid.UUID
    price: decimal.Decimal
    blob: bytes
    path: pathlib.Path
    ip: ipaddress.IPv4Address
    url: HttpUrl


class Constrained(BaseModel):
    name: constr(min_length=1, max_length=20, pattern=r"^[a-z][a-z0-9_]*$")
    port: conint(ge=1, le=65535)
    step: Annotated[float, Field(gt=0, lt=1, multiple_of=0.25)]
    tags: conlist(str, min_length=1, max_length=3)
    unique: set[int]
    frozen: frozenset[str]
    pair: tuple[int, str]
    many: tuple[int, ...]
    scores: dict[str, float]
    level: Level
    color: Color
    mode: Literal["fast", "slow", 3]


class Optionals(BaseModel):
    maybe: Optional[str] = None
    either: Union[int, str]
    either_or_none: Union[int, str, None] = None
    pet: Annotated[Union[Cat, Dog], Field(discriminator="kind")]
    pets: list[Union[Cat, Dog]] = []
    address: Optional[Address] = None
    tree: Node
    documented: Annotated[int, Field(description="a documented field", examples=[1, 2], json_schema_extra={"deprecated": True})] = 1


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    only: str


cases = [
    Scalars(text="a", count=1, ratio=0.5, flag=True, anything={"x": [1]}),
    Times(at=datetime.datetime(2026, 12, 7, 18, 0, tzinfo=datetime.timezone.utc), day=datetime.date(2026, 12, 7),
          clock=datetime.time(18, 0), span=datetime.timedelta(minutes=5), id=uuid.UUID(int=1),
          price=decimal.Decimal("12.50"), blob=b"hi", path=pathlib.Path("/tmp/x"),
          ip=ipaddress.IPv4Address("127.0.0.1"), url="https://example.com/a"),
    Constrained(name="abc_1", port=8080, step=0.5, tags=["x"], unique={1, 2}, frozen=frozenset({"a"}), pair=(1, "a"),
                many=(1, 2, 3), scores={"a": 1.5}, level=Level.high, color=Color.green, mode=3),
    Optionals(maybe=None, either="x", pet=Dog(kind="dog"), pets=[Cat(kind="cat")], address={"street": "s", "zip": "12345"},
              tree=Node(value=1, children=[Node(value=2)])),
    Closed(only="x"),
]
for case in cases:
    print(json.dumps({"name": type(case).__name__, "schema": type(case).model_json_schema(),
                      "valid": case.model_dump(mode="json")}))
