"""Validation of hosted ComfyUI API job requests, with the API's exact error codes.

The decisions are all made by the ``cmfy-validate`` Rust crate (one implementation, compiled
into this package): request validation and its eleven 400 codes, the optional catalogue check
against a server's ``GET /object_info`` snapshot, reading error responses, retry decisions and
the ``Authorization`` check. This module gives them Pythonic shapes.

>>> import cmfy_validate
>>> workflow = cmfy_validate.validate(b'{"prompt": {"1": {"class_type": "SaveImage", "inputs": {}}}}')
>>> [node.class_type for node in workflow.nodes]
['SaveImage']
>>> try:
...     cmfy_validate.validate(b'{"prompt": {}}')
... except cmfy_validate.ValidationError as error:
...     print(error.code, error.status, error.pointer)
empty_workflow 400 /prompt
"""

from __future__ import annotations

import enum
import json
import random as _random
import time
from typing import Any, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _native

__all__ = [
    "ApiKey",
    "AuthenticationError",
    "AuthorizationError",
    "Catalogue",
    "CmfyCloudError",
    "ErrorCode",
    "Limits",
    "Link",
    "ModelUrl",
    "Node",
    "NotFoundError",
    "RateLimitError",
    "RateWindow",
    "RetryPolicy",
    "ServerError",
    "Usage",
    "ValidationError",
    "Workflow",
    "check_authorization",
    "is_url_like",
    "limits_from_headers",
    "raise_for",
    "raise_for_response",
    "validate",
    "validate_all",
    "MAX_REPORTED_ERRORS",
    "DETAIL_KEYS",
]

Body = Union[bytes, bytearray, memoryview, str]

MAX_REPORTED_ERRORS: int = _native.MAX_REPORTED_ERRORS
"""The most problems :func:`validate_all` returns."""

DETAIL_KEYS: Tuple[str, ...] = tuple(_native.detail_keys())
"""Every key a :class:`ValidationError`'s ``details`` can have (the crate's ``Detail`` table)."""

_CODES = {code: (status, retryable, message) for code, status, retryable, message in _native.error_codes()}


# Every code of the one table in the Rust crate, as a string enum.
ErrorCode = enum.Enum("ErrorCode", [(code.upper(), code) for code in _CODES], type=str, module=__name__)  # type: ignore[misc]
ErrorCode.status = property(lambda self: _CODES[self.value][0], doc="The HTTP status the API answers with.")  # type: ignore[attr-defined]
ErrorCode.is_retryable = property(lambda self: _CODES[self.value][1], doc="Whether a client may retry (429, 500, 503).")  # type: ignore[attr-defined]
ErrorCode.default_message = property(lambda self: _CODES[self.value][2], doc="The code's exact default message.")  # type: ignore[attr-defined]
ErrorCode.__str__ = lambda self: self.value  # type: ignore[method-assign]
ErrorCode.__doc__ = "Every error code of the API, as a string enum with ``status``, ``is_retryable`` and ``default_message``."


class CmfyCloudError(Exception):
    """An error of the API: its code, message, HTTP status and request id.

    The base of :class:`AuthenticationError` (401), :class:`AuthorizationError` (403),
    :class:`ValidationError` (400), :class:`NotFoundError` (404), :class:`RateLimitError` (429)
    and :class:`ServerError` (5xx).
    """

    def __init__(
        self,
        code: Optional[str],
        message: str,
        status_code: int,
        request_id: Optional[str] = None,
        details: Optional[Mapping[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        self.details: dict = dict(details or {})
        #: The response's limit headers, for an error read from a response (``None`` otherwise).
        self.limits: Optional[Limits] = None

    @property
    def error_code(self) -> Optional["ErrorCode"]:
        """The code as an :class:`ErrorCode`, or ``None`` for a code this package does not know."""
        try:
            return ErrorCode(self.code)
        except ValueError:
            return None

    def __str__(self) -> str:
        prefix = f"HTTP {self.status_code}"
        return f"{prefix} {self.code}: {self.message}" if self.code else f"{prefix}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, status_code={self.status_code})"


class AuthenticationError(CmfyCloudError):
    """401: no key, or a bad one."""


class AuthorizationError(CmfyCloudError):
    """403: the key may not do this."""


class NotFoundError(CmfyCloudError):
    """404: no such job."""


class ServerError(CmfyCloudError):
    """5xx: the server's fault; worth retrying."""


class RateLimitError(CmfyCloudError):
    """429: too many requests or jobs, or a full queue; ``retry_after`` is the server's delay in seconds, if it gave one."""

    def __init__(self, code, message, status_code=429, request_id=None, details=None, retry_after: Optional[float] = None) -> None:
        super().__init__(code, message, status_code, request_id, details)
        self.retry_after = retry_after


class ValidationError(CmfyCloudError):
    """400: the request is wrong (what :func:`validate` raises, and what the API answers).

    ``pointer`` is an RFC 6901 pointer to the offending value, ``details`` the envelope's
    details, and :meth:`to_body` the exact envelope a server sends.
    """

    def __init__(self, code, message, status_code=400, request_id=None, details=None, pointer: str = "", offset: int = 0) -> None:
        super().__init__(code, message, status_code, request_id, details)
        self.pointer = pointer
        self.offset = offset

    @property
    def status(self) -> int:
        """The HTTP status: 400."""
        return self.status_code

    def to_json(self, request_id: Optional[str] = None) -> str:
        """The error envelope as compact JSON text, exactly as a server sends it."""
        return _native.envelope(self.code or "", self.message, json.dumps(self.details), request_id)

    def to_body(self, request_id: Optional[str] = None) -> dict:
        """The error envelope as a dict: ``{"error": {"code", "message", "details", "request_id"?}}``."""
        return json.loads(self.to_json(request_id))


_BY_STATUS = {400: ValidationError, 401: AuthenticationError, 403: AuthorizationError, 404: NotFoundError, 429: RateLimitError}


def _validation_error(data: tuple) -> ValidationError:
    code, message, status, pointer, details, offset = data
    return ValidationError(code, message, status, None, json.loads(details), pointer=pointer, offset=offset)


class Link(NamedTuple):
    """A link to output ``output`` of node ``node_id``."""

    node_id: str
    output: int


class ModelUrl(NamedTuple):
    """A URL in a workflow: where it is, and its WHATWG serialisation (the cache key)."""

    node_id: str
    class_type: str
    input: str
    pointer: str
    url: str


class Node:
    """One node: ``id``, ``class_type``, ``title`` and ``inputs`` (a dict of name to a :class:`Link` or a Python value)."""

    __slots__ = ("id", "class_type", "title", "_inputs", "_values")

    def __init__(self, id: str, class_type: str, title: Optional[str], inputs: list) -> None:
        self.id = id
        self.class_type = class_type
        self.title = title
        self._inputs = inputs
        self._values: Optional[dict] = None

    @property
    def inputs(self) -> dict:
        """The inputs in document order: links as :class:`Link`, literals as Python values."""
        if self._values is None:
            self._values = {
                name: link if link is not None else json.loads(literal) for name, link, literal in self._inputs
            }
        return self._values

    def __repr__(self) -> str:
        return f"Node(id={self.id!r}, class_type={self.class_type!r})"


Workflow = _native.Workflow


class Catalogue:
    """A server's node catalogue from its ``GET /object_info`` snapshot; load it once and share
    it across threads. Pass it as ``catalogue=`` to :func:`validate` to refuse workflows the
    server's nodes cannot run (``missing_node_type``, ``value_not_in_list``, ...)."""

    __slots__ = ("_native",)

    def __init__(self, native: Any) -> None:
        self._native = native

    @classmethod
    def from_object_info(cls, data: Union[Body, Mapping[str, Any]]) -> "Catalogue":
        """Loads a snapshot (bytes, str, or an already parsed dict); raises ``ValueError`` if it cannot be used."""
        if isinstance(data, Mapping):
            data = json.dumps(data)
        return cls(_native.Catalogue.from_object_info(data))

    def __len__(self) -> int:
        return len(self._native)

    def class_names(self) -> List[str]:
        """Every class name, in snapshot order."""
        return self._native.class_names()

    def class_info(self, name: str) -> Optional[dict]:
        """A class as the check reads it: ``output_node``, ``opaque``, ``outputs`` and ``inputs``."""
        info = self._native.class_info(name)
        if info is None:
            return None
        output_node, opaque, outputs, inputs = info
        return {
            "output_node": output_node,
            "opaque": opaque,
            "outputs": outputs,
            "inputs": [
                {"name": n, "type": t, "required": r, "options": json.loads(o) if o is not None else None}
                for n, t, r, o in inputs
            ],
        }


validate = _native.validate
validate_all = _native.validate_all


def is_url_like(text: str) -> bool:
    """Whether a string counts as a URL under the contract (``s3://b/k`` does, ``data:...`` does not)."""
    return _native.is_url_like(text)


def _headers(headers: Any) -> List[Tuple[str, str]]:
    if headers is None:
        return []
    items = headers.items() if hasattr(headers, "items") else headers
    out = []
    for item in items:
        try:
            name, value = item
        except (TypeError, ValueError):
            continue
        out.append((str(name), str(value)))
    return out


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass") if body else b""
    try:
        return bytes(body)
    except (TypeError, ValueError):
        return str(body).encode("utf-8", "replace")


class RateWindow(NamedTuple):
    """``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` (when the window resets, Unix seconds)."""

    limit: int
    remaining: int
    reset: int


class Usage(NamedTuple):
    """A capacity and how much of it is in use (``X-Concurrent-*``, ``X-Queue-*``)."""

    limit: int
    current: int


class Limits(NamedTuple):
    """The limit headers of a response; a group is ``None`` unless all its headers were sent."""

    rate: Optional[RateWindow]
    concurrent: Optional[Usage]
    queue: Optional[Usage]


def limits_from_headers(headers: Any) -> Limits:
    """The limit headers of a response (a mapping, a list of pairs, or ``None``). Never raises.

    >>> limits_from_headers({"X-Queue-Limit": "100", "X-Queue-Current": "7"})
    Limits(rate=None, concurrent=None, queue=Usage(limit=100, current=7))
    """
    try:
        pairs = _headers(headers)
    except TypeError:
        pairs = []
    return _limits(_native.limit_headers(pairs))


def _limits(data: Tuple[Any, Any, Any]) -> Limits:
    rate, concurrent, queue = data
    return Limits(
        RateWindow(*rate) if rate else None,
        Usage(*concurrent) if concurrent else None,
        Usage(*queue) if queue else None,
    )


def _error_from(status: int, headers: Any, body: Any) -> CmfyCloudError:
    status_code, _kind, code, message, details, request_id, retry_after, limits = _native.read_response(
        int(status), _headers(headers), _as_bytes(body)
    )
    details = json.loads(details)
    error: CmfyCloudError
    if status_code == 429:
        error = RateLimitError(code, message, status_code, request_id, details, retry_after=retry_after)
    elif status_code == 400:
        error = ValidationError(code, message, status_code, request_id, details, pointer=str(details.get("pointer", "")))
    else:
        cls = _BY_STATUS.get(status_code) or (ServerError if 500 <= status_code <= 599 else CmfyCloudError)
        error = cls(code, message, status_code, request_id, details)
    error.limits = _limits(limits)
    return error


def raise_for_response(status: int, headers: Any = None, body: Any = b"") -> None:
    """Raises the API's error for a response, or returns for a success (1xx to 3xx).

    Never fails on a junk body: an HTML page, an empty or truncated body still gives the
    right class with a message that says what came back.
    """
    if 100 <= int(status) < 400:
        return None
    raise _error_from(status, headers, body)


def raise_for(response: Any) -> None:
    """:func:`raise_for_response` for a ``requests`` or ``httpx`` response (read by duck
    typing: ``status_code``, ``headers`` and ``content``; neither library is imported)."""
    raise_for_response(response.status_code, getattr(response, "headers", None), getattr(response, "content", b""))


class RetryPolicy:
    """Exponential backoff with jitter, and the API's rules for what to retry (see the Rust
    crate's ``RetryPolicy``): 4xx but 429 give up; 429 waits the server's delay (at most
    ``max_server_delay``) or backs off; 5xx, timeouts and connection errors back off; after
    ``max_attempts`` attempts, give up."""

    def __init__(self, base: float = 1.0, max_delay: float = 60.0, max_attempts: int = 5, max_server_delay: float = 3600.0) -> None:
        self.base = float(base)
        self.max_delay = float(max_delay)
        self.max_attempts = int(max_attempts)
        self.max_server_delay = float(max_server_delay)

    def decide(self, error_or_exception: BaseException, attempt: int, random: Optional[float] = None, now: Optional[float] = None) -> Optional[float]:
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 0), or ``None`` to give up.

        ``error_or_exception`` is a :class:`CmfyCloudError`, a ``TimeoutError`` (or any
        exception whose name says timeout) or a ``ConnectionError`` / ``OSError``; anything
        else gives up. ``random`` in ``[0, 1)`` sets the jitter (drawn if not given).
        """
        jitter = _random.random() if random is None else float(random)
        if isinstance(error_or_exception, CmfyCloudError):
            envelope = {"error": {"code": error_or_exception.code or "", "message": error_or_exception.message, "details": error_or_exception.details}}
            if isinstance(error_or_exception, RateLimitError) and error_or_exception.retry_after is not None:
                envelope["error"]["retry_after"] = error_or_exception.retry_after
            response = (int(error_or_exception.status_code), [], json.dumps(envelope).encode())
            outcome = "error"
        elif isinstance(error_or_exception, TimeoutError) or "timeout" in type(error_or_exception).__name__.lower():
            response, outcome = None, "timeout"
        elif isinstance(error_or_exception, (ConnectionError, OSError)) or "connect" in type(error_or_exception).__name__.lower():
            response, outcome = None, "connection"
        else:
            return None
        return _native.decide(outcome, response, int(attempt), jitter, self.base, self.max_delay, self.max_attempts, self.max_server_delay, now)


class ApiKey(NamedTuple):
    """A key of the API's form: ``mode`` is ``"live"`` or ``"test"``. ``str()`` hides the secret."""

    mode: str
    secret: str

    def __str__(self) -> str:
        return f"sk_{self.mode}_********"

    def __repr__(self) -> str:
        return f"ApiKey(sk_{self.mode}_********)"


def check_authorization(header: Optional[Union[str, bytes]]) -> ApiKey:
    """Checks an ``Authorization`` header value (``None`` when absent); raises
    :class:`AuthenticationError` with ``missing_auth``, ``invalid_auth_format`` or ``invalid_api_key``."""
    try:
        mode, secret = _native.check_authorization(header)
    except ValueError as error:
        code = str(error)
        raise AuthenticationError(code, ErrorCode(code).default_message, 401) from None
    return ApiKey(mode, secret)


# The native half builds nodes, links, URLs and errors with these classes.
_native._register(Node, Link, ModelUrl, _validation_error)
