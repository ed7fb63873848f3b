"""Type stubs of the native half of ``cmfy_validate`` (the Rust crate, compiled with PyO3)."""

from typing import List, Optional, Sequence, Tuple, Union

MAX_REPORTED_ERRORS: int

_Body = Union[bytes, bytearray, memoryview, str]
_Error = Tuple[str, str, int, str, str, int]
_Input = Tuple[str, Optional[Tuple[str, int]], Optional[str]]
_Node = Tuple[str, str, Optional[str], List[_Input]]

class Catalogue:
    @staticmethod
    def from_object_info(data: _Body) -> "Catalogue": ...
    def __len__(self) -> int: ...
    def class_names(self) -> List[str]: ...
    def class_info(self, name: str) -> Optional[Tuple[bool, bool, List[str], List[Tuple[str, str, bool, Optional[str]]]]]: ...

class Workflow:
    webhook_url: Optional[str]
    idempotency_key: Optional[str]
    def __len__(self) -> int: ...
    def nodes(self) -> List[_Node]: ...
    def to_json(self) -> str: ...
    def urls(self) -> List[Tuple[str, str, str, str, str]]: ...

def validate(
    body: _Body,
    max_nodes: int,
    check_hosts: bool,
    private_webhooks: bool,
    catalogue: Optional[Catalogue],
    sources: Optional[Sequence[str]],
    all: bool,
) -> Tuple[Optional[Workflow], List[_Error]]: ...
def envelope(code: str, message: str, details: str, request_id: Optional[str] = None, retry_after: Optional[int] = None) -> str: ...
def read_response(
    status: int, headers: Sequence[Tuple[str, str]], body: bytes, now: Optional[float] = None
) -> Tuple[int, str, Optional[str], str, str, Optional[str], Optional[float]]: ...
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
def is_url_like(text: str) -> bool: ...
