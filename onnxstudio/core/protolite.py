"""Protobuf message classes declared at run time: *lite* views of onnx.proto that parse only some fields.

A lite view is how the fast paths read a model at C speed: a message that declares only what is needed is
parsed by upb like any other (undeclared fields are kept as opaque bytes), and a *singular* sub-message
declared where onnx has a repeated one makes upb merge every occurrence into one message, so a repeated
string inside it collects that field of every node in one list (no Python object per node).
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from onnx import onnx_ml_pb2

F = descriptor_pb2.FieldDescriptorProto
BYTES, STRING, INT32, INT64, MSG = F.TYPE_BYTES, F.TYPE_STRING, F.TYPE_INT32, F.TYPE_INT64, F.TYPE_MESSAGE
FLOAT, DOUBLE, UINT64, FIXED64 = F.TYPE_FLOAT, F.TYPE_DOUBLE, F.TYPE_UINT64, F.TYPE_FIXED64
# message -> fields (name, number, type, repeated, type name: ".onnx.X" for onnx's own, else a sibling)
Schema = dict[str, list[tuple[str, int, int, bool, str | None]]]


def message_classes(file_name: str, package: str, schema: Schema) -> dict[str, Any]:
    """The classes of ``schema``, registered once in the default pool (they may refer to onnx's messages)."""
    fd = descriptor_pb2.FileDescriptorProto(name=file_name, package=package, syntax="proto2")
    fd.dependency.append(onnx_ml_pb2.DESCRIPTOR.name)
    for name, fields in schema.items():
        msg = fd.message_type.add(name=name)
        for fname, number, ftype, repeated, tname in fields:
            f = msg.field.add(name=fname, number=number, type=ftype,
                              label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
            if tname:
                f.type_name = tname if tname.startswith(".") else f".{package}.{tname}"
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(fd.name)
    except KeyError:
        pool.Add(fd)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{package}.{name}"))
            for name in schema}
