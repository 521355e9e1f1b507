"""Tables (.csv/.tsv) as inputs: columns by name, headers, delimiters, types and shapes, one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from onnxstudio.core.errors import InputError
from onnxstudio.core.inputs import build_feeds, parse_source, table_sources
from onnxstudio.core.tables import table_columns
from onnxstudio.core.values import ValueSpec

TITANIC = ",age,fare,sex\n0,22,7.25,male\n1,38,71.28,female\n2,,8.05,\"female, 2nd\"\n"


def spec(name: str, dtype: str, shape: tuple | None) -> ValueSpec:
    return ValueSpec(name, "tensor", dtype, shape, "")


def columns_model(path: Path) -> Path:
    """As skl2onnx converts a pipeline over a data frame: one [N, 1] input per column, numbers and text."""
    import onnx

    g = helper.make_graph(
        [helper.make_node("Add", ["age", "fare"], ["total"]), helper.make_node("Identity", ["sex"], ["sex_out"])],
        "columns",
        [helper.make_tensor_value_info("age", TensorProto.FLOAT, [None, 1]),
         helper.make_tensor_value_info("fare", TensorProto.FLOAT, [None, 1]),
         helper.make_tensor_value_info("sex", TensorProto.STRING, [None, 1])],
        [helper.make_tensor_value_info("total", TensorProto.FLOAT, [None, 1]),
         helper.make_tensor_value_info("sex_out", TensorProto.STRING, [None, 1])])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


def test_one_table_feeds_every_input_named_by_a_column(tmp_path: Path) -> None:
    table = tmp_path / "titanic.csv"
    table.write_text(TITANIC)
    model = columns_model(tmp_path / "m.onnx")
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    specs = [spec("age", "float32", (None, 1)), spec("fare", "float32", (None, 1)), spec("sex", "string", (None, 1))]
    assert table_columns(table) == ["age", "fare", "sex"]  # pandas' index column is no column of data
    notes: list[str] = []
    feeds = build_feeds(specs, table_sources(str(table), specs), notes=notes)
    total, sex = session.run(None, feeds)
    np.testing.assert_allclose(total[:2, 0], [29.25, 109.28], rtol=1e-6)
    assert np.isnan(total[2, 0])  # the empty cell is NaN, not 0
    assert sex[:, 0].tolist() == ["male", "female", "female, 2nd"]  # a quoted comma stays in its cell
    assert notes == []  # each input's column is named by the source: nothing to say
    # the whole table for one input: pandas' index column and the text column left out, and said
    notes = []
    both = build_feeds([spec("x", "float32", ("N", 2))], {"x": parse_source(str(table))}, notes=notes)["x"]
    assert both.shape == (3, 2) and both[0].tolist() == [22.0, 7.25]
    assert notes == ["input 'x': titanic.csv: the unnamed index column (0, 1, 2, ...) left out",
                     "input 'x': titanic.csv: text column 'sex' left out"]
    # a column by name, or by number
    fare = build_feeds([spec("x", "float64", (None,))], {"x": parse_source(f"{table}:fare")})["x"]
    assert fare.dtype == np.float64 and fare.tolist() == [7.25, 71.28, 8.05]


def test_a_model_with_one_input_takes_the_table_and_a_real_classifier_runs_on_it(tmp_path: Path) -> None:
    from tests.conftest import ort_datasets

    model = ort_datasets() / "logreg_iris.onnx"  # float_input [3, 2]: two of iris's measurements
    specs = [ValueSpec("float_input", "tensor", "float32", (3, 2), "")]
    table = tmp_path / "iris.csv"
    table.write_text("sepal_length,sepal_width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n")
    feeds = build_feeds(specs, table_sources(str(table), specs))
    assert feeds["float_input"].shape == (3, 2) and feeds["float_input"].dtype == np.float32
    labels = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    assert labels.shape == (3,)
    with pytest.raises(InputError, match=r"no column of iris.csv is named like an input \(a, b\)"):
        table_sources(str(table), [spec("a", "float32", None), spec("b", "float32", None)])


@pytest.mark.parametrize("text,name,expect", [
    ("1;2,5;3\n4;5;6,25\n", "eu.csv", [[1, 2.5, 3], [4, 5, 6.25]]),  # a European spreadsheet: decimal commas
    ("a\tb\n1\t2\n3\t4\n", "t.tsv", [[1, 2], [3, 4]]),
    ("\ufeffa,b\r\n1,2\r\n3,4,\r\n\r\n", "excel.csv", [[1, 2], [3, 4]]),  # BOM, CRLF, a trailing comma, blank line
    ("1|2\n3|4\n", "pipes.csv", [[1, 2], [3, 4]]),
    ("1.5e-3\n-inf\n2\n", "one.csv", [[1.5e-3], [-np.inf], [2]]),  # one column: no delimiter at all
])
def test_delimiters_headers_and_number_formats(tmp_path: Path, text: str, name: str, expect: list) -> None:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8", newline="")
    value = build_feeds([spec("x", "float64", None)], {"x": parse_source(str(p))})["x"]
    want = np.array(expect, dtype=np.float64)
    np.testing.assert_array_equal(value, want[:, 0] if want.shape[1] == 1 else want)


def test_rows_take_the_inputs_shape(tmp_path: Path) -> None:
    digits = np.arange(2 * 784).reshape(2, 784) % 256
    rows = tmp_path / "mnist.csv"  # a flattened picture per row, as Kaggle's MNIST CSVs are
    np.savetxt(rows, digits, delimiter=",", fmt="%d")
    batch = build_feeds([spec("image", "uint8", ("N", 1, 28, 28))], {"image": parse_source(str(rows))})["image"]
    assert batch.shape == (2, 1, 28, 28) and batch.dtype == np.uint8
    np.testing.assert_array_equal(batch.reshape(2, 784), digits)
    picture = tmp_path / "picture.csv"  # one picture as a 28 x 28 grid
    np.savetxt(picture, digits[0].reshape(28, 28), delimiter=",", fmt="%d")
    one = build_feeds([spec("image", "float32", (1, 1, 28, 28))], {"image": parse_source(str(picture))})["image"]
    assert one.shape == (1, 1, 28, 28) and one[0, 0, 1, 0] == 28
    column = tmp_path / "column.csv"  # a value per line for a [1, N] row
    column.write_text("1\n2\n3\n")
    assert build_feeds([spec("v", "int64", (1, 3))], {"v": parse_source(str(column))})["v"].tolist() == [[1, 2, 3]]
    big = tmp_path / "ids.csv"  # int64 beyond float64's 2**53 stays exact
    big.write_text("9007199254740993\n")
    assert build_feeds([spec("v", "int64", (1,))], {"v": parse_source(str(big))})["v"][0] == 2**53 + 1


@pytest.mark.parametrize("text,source,input_spec,message", [
    ("a,b\n1,2\n3\n", "t.csv", spec("x", "float32", None), "t.csv: row 3 has 1 cells, the header has 2"),
    ("age,name\n1,x\nold,y\n", "t.csv:age", spec("x", "float32", None),
     "input 'x': t.csv row 3, column 'age': 'old' is not a number"),
    ("n\n1\n2.5\n", "t.csv", spec("n", "int64", None), "input 'n': t.csv row 3: '2.5' is not an integer (the input is "
     "int64)"),
    ("a,b\n1,2\n", "t.csv:c", spec("x", "float32", None), "input 'x': the table has no column 'c' (a, b)"),
    ("\n\n", "t.csv", spec("x", "float32", None), "t.csv holds no rows"),
    ("flag\nyes\nmaybe\n", "t.csv", spec("flag", "bool", None), "input 'flag': t.csv row 3: 'maybe' is not true or false"),
])
def test_bad_tables_get_one_line_naming_the_cell(tmp_path: Path, text: str, source: str, input_spec: ValueSpec,
                                                 message: str) -> None:
    (tmp_path / "t.csv").write_text(text)
    with pytest.raises(InputError) as err:
        build_feeds([input_spec], {input_spec.name: parse_source(str(tmp_path / source))})
    assert err.value.message == message


def test_tables_written_read_back_the_same(tmp_path: Path) -> None:
    from onnxstudio.core.tables import table_value, write_table

    text = np.array([["a", "b,c"], ['q"uote', "line\nbreak"], ["1", "2"], ["", "é"]], dtype=object)
    write_table(tmp_path / "text.csv", text)  # a word over a number is data here, not a header
    back = table_value(spec("words", "string", (4, 2)), tmp_path / "text.csv")
    assert back.tolist() == text.tolist()
    one = np.array([""], dtype=object)  # one empty cell is a value, not a blank line
    write_table(tmp_path / "one.csv", one)
    assert table_value(spec("s", "string", (1,)), tmp_path / "one.csv").tolist() == [""]
    values = np.array([[1.5, np.nan, -np.inf], [1e-30, 3.4e38, 0.1]], np.float32)
    write_table(tmp_path / "f.csv", values)
    np.testing.assert_array_equal(table_value(spec("f", "float32", (2, 3)), tmp_path / "f.csv"), values)
    flags = np.array([True, False, True])
    write_table(tmp_path / "b.csv", flags)
    assert table_value(spec("b", "bool", (3,)), tmp_path / "b.csv").tolist() == [True, False, True]


def test_a_large_table_reads_as_cell_by_cell_and_leaves_the_answer_out(tmp_path: Path, monkeypatch) -> None:
    """Over 64 KB the numbers go through numpy's reader; the result is the cell-by-cell reader's."""
    import onnxstudio.core.tables as tables

    rng = np.random.default_rng(0)
    data = rng.integers(0, 256, (3000, 17))
    path = tmp_path / "digits.csv"  # a label, then a 4 x 4 picture per row (Kaggle's MNIST layout)
    np.savetxt(path, data, delimiter=",", fmt="%d", header=",".join(["label", *(f"p{i}" for i in range(16))]),
               comments="")
    assert path.stat().st_size > 64 * 1024
    image = spec("image", "uint8", ("N", 1, 4, 4))
    notes: list[str] = []
    fast = tables.table_value(image, path, notes=notes)
    assert notes == ["input 'image': digits.csv: column 'label' left out (the answer, not a feature)"]
    np.testing.assert_array_equal(fast.reshape(3000, 16), data[:, 1:])
    monkeypatch.setattr(tables, "_SNIFF_BYTES", 1 << 40)  # every file small: cell by cell
    np.testing.assert_array_equal(tables.table_value(image, path), fast)
    monkeypatch.undo()
    with path.open("a") as f:
        f.write("1,2\n")  # a short row at the end: refused, naming it, as cell by cell
    with pytest.raises(InputError, match=r"digits.csv: row 3002 has 2 cells, the header has 17"):
        tables.table_value(image, path)
    bad = tmp_path / "bad.csv"
    bad.write_text("v\n" + "7\n" * 20000 + "300\n")  # beyond uint8
    with pytest.raises(InputError, match=r"input 'v': bad.csv row 20002: 300 is outside uint8's range \(0 to 255\)"):
        tables.table_value(spec("v", "uint8", (None,)), bad)
