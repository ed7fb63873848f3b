"""Type stubs of the native half of ``cmfy_validate`` (the Rust crate, compiled with PyO3)."""

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import ModelUrl, Node, ValidationError

MAX_REPORTED_ERRORS: int

_Body = Union[bytes, bytearray, memoryview, str]
_Error = Tuple[str, str, int, str, str, int]

class Catalogue:
    @staticmethod
    def from_object_info(data: _Body) -> "Catalogue": ...
    def __len__(self) -> int: ...
    def class_names(self) -> List[str]: ...
    def class_info(self, name: str) -> Optional[Tuple[bool, bool, List[str], List[Tuple[str, str, bool, Optional[str]]]]]: ...

class Workflow:
    """An accepted request: nodes in document order, ``webhook_url``, ``idempotency_key``, the
    prompt as JSON (``to_json()``) or as a dict (``prompt``), and every model URL (``urls()``)."""

    @property
    def webhook_url(self) -> Optional[str]: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def nodes(self) -> List["Node"]: ...
    @property
    def prompt(self) -> Dict[str, Any]: ...
    def node(self, node_id: str) -> Optional["Node"]: ...
    def __len__(self) -> int: ...
    def to_json(self) -> str: ...
    def urls(self) -> List["ModelUrl"]: ...

def validate(
    body: _Body,
    *,
    max_nodes: int = 500,
    check_workflow_url_hosts: bool = True,
    allow_private_webhooks: bool = False,
    catalogue: Optional[Any] = None,
    allowed_sources: Optional[Iterable[str]] = None,
) -> Workflow: ...
def validate_all(
    body: _Body,
    *,
    max_nodes: int = 500,
    check_workflow_url_hosts: bool = True,
    allow_private_webhooks: bool = False,
    catalogue: Optional[Any] = None,
    allowed_sources: Optional[Iterable[str]] = None,
) -> List["ValidationError"]: ...
def _time_rust_validate(body: bytes, calls: int) -> float: ...
def _register(node: Any, link: Any, model_url: Any, validation_error: Any) -> None: ...
def envelope(code: str, message: str, details: str, request_id: Optional[str] = None, retry_after: Optional[int] = None) -> str: ...
def read_response(
    status: int, headers: Sequence[Tuple[str, str]], body: bytes, now: Optional[float] = None
) -> Tuple[
    int,
    str,
    Optional[str],
    str,
    str,
    Optional[str],
    Optional[float],
    Tuple[Optional[Tuple[int, int, int]], Optional[Tuple[int, int]], Optional[Tuple[int, int]]],
]: ...
def limit_headers(
    headers: Sequence[Tuple[str, str]],
) -> Tuple[Optional[Tuple[int, int, int]], Optional[Tuple[int, int]], Optional[Tuple[int, int]]]: ...
def decide(
    outcome: str,
    response: Optional[Tuple[int, Sequence[Tuple[str, str]], bytes]],
    attempt: int,
    random: float,
    base: float,
    max_delay: float,
    max_attempts: int,
    max_server_delay: float,
    now: Optional[float] = None,
) -> Optional[float]: ...
def check_authorization(header: Optional[Union[str, bytes]]) -> Tuple[str, str]: ...
def error_codes() -> List[Tuple[str, int, bool, str]]: ...
def detail_keys() -> List[str]: ...
def is_url_like(text: str) -> bool: ...
