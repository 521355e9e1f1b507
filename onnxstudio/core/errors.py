"""One exception tree for the whole core; every message is one line saying what happened and what to do."""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error the core reports to a user.

    ``category`` is a stable machine-readable key (used by ``--json`` output and tests); ``str(err)`` is the
    one-line human message.
    """

    category = "error"

    def __init__(self, message: str, *, category: str | None = None) -> None:
        # Messages must be one line: the CLI prints them after "error: " and the app in a status line.
        super().__init__(" ".join(str(message).split()))
        if category is not None:
            self.category = category

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def to_dict(self) -> dict[str, str]:
        return {"category": self.category, "message": self.message}


class ModelFileError(StudioError):
    """The file cannot be read as an ONNX model (missing, empty, not protobuf, LFS pointer, too big...)."""

    category = "model_file"


class ExternalDataError(StudioError):
    """An external-data reference is unsafe or broken (outside the folder, symlink, missing, out of range)."""

    category = "external_data"


class ChildCrashError(StudioError):
    """Native code (onnx checker, shape inference, onnxruntime) killed the child process."""

    category = "crash"


class ChildTimeoutError(StudioError):
    category = "timeout"


class ChildMemoryError(StudioError):
    category = "memory"


class CancelledError(StudioError):
    category = "cancelled"


class ProviderError(StudioError):
    category = "provider"


class InputError(StudioError):
    """A model input is missing, has the wrong dtype/rank/shape, or its source cannot be read."""

    category = "input"


class SessionError(StudioError):
    """onnxruntime refused to create a session or to run the model."""

    category = "session"


def error_for(category: str, message: str) -> StudioError:
    """Rebuild an error sent as (category, message) by the child process, with its original class."""
    best: type[StudioError] = StudioError
    stack = list(StudioError.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if category == cls.category or (category.startswith(cls.category + "_") and best is StudioError):
            best = cls
    return best(message, category=category)
