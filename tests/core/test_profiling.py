"""Profiling on real onnxruntime sessions: kernels tied to the model's nodes, warm-up left out, control-flow
bodies counted once, the optimizer's rewrites and additions told apart."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from onnxstudio.core.engine import Engine
from onnxstudio.core.errors import SessionError
from onnxstudio.core.host import ChildHost
from onnxstudio.core.profiling import ADDED, FUSED, NESTED, NODE, Profile, read_trace
from onnxstudio.core.providers import SessionConfig
from tests import models


def _unnamed_conv_model(path: Path) -> Path:
    """Conv -> Relu -> Sigmoid, Add(Sigmoid, Relu), every node unnamed (as older exporters leave them)."""
    w = numpy_helper.from_array(np.random.default_rng(0).standard_normal((8, 3, 3, 3)).astype(np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"]), helper.make_node("Relu", ["c"], ["r"]),
             helper.make_node("Sigmoid", ["r"], ["s"]), helper.make_node("Add", ["s", "r"], ["y"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [w])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return path


def _nested_if_model(path: Path) -> Path:
    """sum = ReduceSum(x); If(sum > 0) then Neg(Relu(x)) else Sigmoid(x); Abs: a body of two kernels."""
    then_g = helper.make_graph([helper.make_node("Relu", ["x"], ["t"], name="then_relu"),
                                helper.make_node("Neg", ["t"], ["t2"], name="then_neg")], "then", [],
                               [helper.make_tensor_value_info("t2", TensorProto.FLOAT, None)])
    else_g = helper.make_graph([helper.make_node("Sigmoid", ["x"], ["e"], name="else_sig")], "else", [],
                               [helper.make_tensor_value_info("e", TensorProto.FLOAT, None)])
    nodes = [helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0, name="sum"),
             helper.make_node("Greater", ["s", "zero"], ["c"], name="gt"),
             helper.make_node("If", ["c"], ["y0"], then_branch=then_g, else_branch=else_g, name="branch"),
             helper.make_node("Abs", ["y0"], ["y"], name="abs")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 64, 64])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              [numpy_helper.from_array(np.zeros((), np.float32), "zero")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return path


IMAGE = {"image": np.random.default_rng(1).standard_normal((1, 3, 64, 64)).astype(np.float32)}


def test_every_node_has_its_kernel_when_the_optimizer_is_off(tmp_path: Path) -> None:
    path = models.conv_model(tmp_path / "conv.onnx")
    with Engine(path, SessionConfig(graph_optimization="disabled")) as eng:
        prof = eng.profile(IMAGE, runs=4)
    assert prof.runs == 4 and prof.run.count == 4 and prof.optimization == "disabled"
    names = [n.name for n in onnx.load(path).graph.node]
    assert sorted(k.node for k in prof.kernels) == list(range(len(names)))
    assert all(k.how == NODE and k.calls == 4 and k.name == names[k.node] for k in prof.kernels)
    assert prof.without_kernel() == 0 and prof.added_ms() == 0
    conv = next(k for k in prof.kernels if k.name == "/block0/Conv")
    assert conv.shapes == "1x3x64x64, 16x3x3x3" and conv.provider == "CPUExecutionProvider"
    # the time is where onnxruntime measured it: each op type's is the sum of its kernels' (which of them weighs
    # most is the machine's to say: a busy CI once timed the relus over the convolutions)
    by_op = {r.op: r for r in prof.by_op()}
    assert by_op["Conv"].kernels == 4 and by_op["Relu"].kernels == 4
    convs = sum(k.total_us for k in prof.kernels if k.op == "Conv") / 1000 / prof.runs
    assert by_op["Conv"].ms_per_run == pytest.approx(convs) and by_op["Conv"].ms_per_run > 0
    assert abs(sum(r.share for r in prof.by_op()) - 1) < 1e-9
    assert 0 < prof.kernel_ms <= prof.run.max * 1.05


def test_a_fused_kernels_time_goes_to_the_node_it_came_from(tmp_path: Path) -> None:
    path = models.conv_model(tmp_path / "conv.onnx")
    with Engine(path) as eng:  # optimization "all": Conv + Relu fused
        prof = eng.profile(IMAGE, runs=3)
    ops = [n.op_type for n in onnx.load(path).graph.node]
    times = prof.node_ms()
    convs = [i for i, op in enumerate(ops) if op == "Conv"]
    relus = [i for i, op in enumerate(ops) if op == "Relu"]
    assert set(convs) <= set(times), "each convolution keeps its time"
    assert not set(relus) & set(times), "the relus run inside the fused convolutions"
    assert prof.without_kernel() >= len(relus)
    assert any(k.how == FUSED for k in prof.top)
    assert all(k.node is None for k in prof.top if k.how == ADDED)
    assert set(prof.node_providers().values()) == {"CPUExecutionProvider"}
    # the model's MACs land on the fused kernels that do them, all of them (a Relu does none)
    with ChildHost() as host:
        compute = host.call("compute_cost", path=str(path))
    by_op = prof.macs_by_op(compute.macs)
    assert sum(by_op.values()) == compute.total > 0
    assert {op for op, _ in by_op} <= {k.op for k in prof.top if k.node in compute.macs}


def test_unnamed_nodes_are_found_by_their_index_and_outputs(tmp_path: Path) -> None:
    path = _unnamed_conv_model(tmp_path / "unnamed.onnx")
    x = {"x": np.ones((1, 3, 32, 32), np.float32)}
    with Engine(path, SessionConfig(graph_optimization="disabled")) as eng:
        plain = eng.profile(x, runs=2)
    assert {k.node: k.op for k in plain.kernels} == {0: "Conv", 1: "Relu", 2: "Sigmoid", 3: "Add"}
    with Engine(path) as eng:
        optimized = eng.profile(x, runs=2)
    ops = {k.node: k.op for k in optimized.top if k.node is not None}
    assert ops[0] in ("Conv", "FusedConv") and 1 not in ops, "the fused Conv+Relu is the Conv's"
    assert ops[2] == "Sigmoid" and ops[3] == "Add"


def test_a_control_flow_body_is_counted_inside_its_node_once(tmp_path: Path) -> None:
    path = _nested_if_model(tmp_path / "if.onnx")
    x = {"x": np.ones((1, 3, 64, 64), np.float32)}  # sum > 0: the then branch
    with Engine(path) as eng:
        prof = eng.profile(x, runs=5)
    nested = {k.name: k for k in prof.kernels if k.how == NESTED}
    assert set(nested) == {"then_relu", "then_neg"} and all(k.inside == "branch" for k in nested.values())
    assert all(k.node is None and k.calls == 5 for k in nested.values())
    branch = next(k for k in prof.top if k.name == "branch")
    assert branch.node == 2 and branch.total_us >= sum(k.total_us for k in nested.values())
    assert {k.name for k in prof.top} == {"sum", "gt", "branch", "abs"}
    assert prof.to_dict()["kernels"][0]["mapping"] in (NODE, NESTED)


def test_warmup_runs_are_left_out_of_a_real_trace(tmp_path: Path) -> None:
    path = models.add_model(tmp_path / "add.onnx")
    so = ort.SessionOptions()
    so.enable_profiling = True
    so.profile_file_prefix = str(tmp_path / "trace")
    sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    feeds = {"a": np.ones(4, np.float32), "b": np.ones(4, np.float32)}
    for _ in range(7):
        sess.run(None, feeds)
    events = json.loads(Path(sess.end_profiling()).read_text())
    trace = read_trace(events, warmup_runs=3)
    assert trace.warmup_runs == 3 and trace.run_ms.size == 4
    (kernel,) = trace.kernels
    assert (kernel.name, kernel.op, kernel.calls, kernel.index) == ("/add/Add", "Add", 4, 0)
    assert trace.session_ms > 0
    assert read_trace(events, warmup_runs=10).kernels == [] and read_trace([]).run_ms.size == 0
    (two,) = read_trace(events, warmup_runs=3, runs=2).kernels  # what follows a stopped run is left out
    assert two.calls == 2
    broken = [*events, "not an event", {"cat": "Node", "name": "x_kernel_time", "ts": None, "args": []},
              {"cat": "Session", "name": "model_run", "dur": "n/a"}]
    assert read_trace(broken).run_ms.size == 8  # fields that are not numbers read as 0, nothing raised


def test_the_engine_runs_again_after_profiling(tmp_path: Path) -> None:
    path = models.add_model(tmp_path / "add.onnx")
    feeds = {"a": np.arange(4, dtype=np.float32), "b": np.ones(4, np.float32)}
    with Engine(path) as eng:
        eng.create_session()
        prof = eng.profile(feeds, runs=2)
        assert prof.runs == 2 and eng.session is None
        out = eng.run(feeds).outputs[0].value
    np.testing.assert_array_equal(out, feeds["a"] + 1)


def test_a_run_that_fails_under_the_profiler_says_why_in_one_line(tmp_path: Path) -> None:
    path = models.add_model(tmp_path / "add.onnx")
    with Engine(path) as eng, pytest.raises(SessionError) as err:
        eng.profile({"a": np.ones(3, np.float32), "b": np.ones(4, np.float32)}, runs=2)
    assert "\n" not in err.value.message and "a [3]" in err.value.message


def test_kernels_that_fell_back_from_the_sessions_provider_are_listed(tmp_path: Path) -> None:
    """A trace of a real session, its kernels placed as a CUDA session's would be (no GPU here): those left on
    the CPU are the fallback, which a CPU session has none of."""
    path = models.conv_model(tmp_path / "conv.onnx")
    so = ort.SessionOptions()
    so.enable_profiling = True
    so.profile_file_prefix = str(tmp_path / "trace")
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    sess.run(None, IMAGE)
    events = json.loads(Path(sess.end_profiling()).read_text())
    model = onnx.load(path)
    names, ops = [n.name for n in model.graph.node], [n.op_type for n in model.graph.node]
    outputs = [list(n.output) for n in model.graph.node]
    on_cpu = Profile.from_trace(read_trace(events), names, ops, outputs, providers=["CPUExecutionProvider"])
    assert on_cpu.fallback() == [] and on_cpu.to_dict()["fallback"] == []
    for e in events:
        if e.get("cat") == "Node" and e["args"].get("op_name") != "ReduceMean":
            e["args"]["provider"] = "CUDAExecutionProvider"
    gpu = Profile.from_trace(read_trace(events), names, ops, outputs,
                             providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
    (fell,) = gpu.fallback()
    assert (fell.name, fell.op, fell.provider, fell.node) == ("/head/Mean", "ReduceMean", "CPUExecutionProvider", 8)
    assert gpu.node_providers()[0] == "CUDAExecutionProvider" and gpu.node_providers()[8] == "CPUExecutionProvider"
    assert {r.provider for r in gpu.by_provider()} == {"CUDAExecutionProvider", "CPUExecutionProvider"}
    assert gpu.to_dict()["fallback"] == [{"name": "/head/Mean", "op": "ReduceMean",
                                          "provider": "CPUExecutionProvider", "node_index": 8}]


def test_a_batch_norm_turned_into_a_conv_keeps_its_own_time(tmp_path: Path) -> None:
    """Conv -> Relu -> BatchNormalization -> Conv: the NCHWc transformer runs the BatchNormalization as a 1x1
    Conv named "<output>_bn_nchwc"; its time is the BatchNormalization's, not the Conv above it."""
    c, rng = 32, np.random.default_rng(0)
    inits = [numpy_helper.from_array(rng.random(c).astype(np.float32) + 0.5, n) for n in ("s", "b", "m", "v")]
    inits.append(numpy_helper.from_array(rng.standard_normal((c, c, 3, 3)).astype(np.float32) * 0.1, "w"))
    nodes = [helper.make_node("Conv", ["x", "w"], ["r"], pads=[1, 1, 1, 1], name="/pre/Conv"),
             helper.make_node("Relu", ["r"], ["r2"], name="/pre/Relu"),
             helper.make_node("BatchNormalization", ["r2", "s", "b", "m", "v"], ["bn"], name="/norm/BN"),
             helper.make_node("Conv", ["bn", "w"], ["y"], pads=[1, 1, 1, 1], name="/conv/Conv")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 32, 32])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)]), tmp_path / "bn.onnx")
    with Engine(tmp_path / "bn.onnx") as eng:
        prof = eng.profile({"x": np.ones((1, c, 32, 32), np.float32)}, runs=2)
    by_node = {k.node: k for k in prof.top if k.node is not None}
    assert set(by_node) == {0, 2, 3}, "the Relu runs inside the first Conv"
    assert by_node[0].op in ("Conv", "FusedConv") and by_node[3].op in ("Conv", "FusedConv")
    assert by_node[2].node_name == "/norm/BN"


def test_stopping_a_profile_keeps_the_runs_done(tmp_path: Path) -> None:
    import threading

    path = models.slow_model(tmp_path / "slow.onnx", side=256, repeats=12)
    x = {"x": np.ones((256, 256), np.float32)}
    with Engine(path) as eng:
        threading.Timer(1.5, eng.cancel).start()
        prof = eng.profile(x, runs=100_000)
        assert 1 <= prof.runs < 100_000 and prof.run.count == prof.runs
        assert any(note.startswith(f"stopped after {prof.runs} of") for note in prof.notes)
        assert all(k.calls == prof.runs for k in prof.top)
        assert eng.run(x).outputs[0].shape == (256, 256), "the engine works on after a stopped profile"
