"""Spreadsheet-safe CSV cells: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` sends data away when clicked), so every
CSV Dragoman writes (API downloads, ``dragoman code/events/articles/export --format csv``) prefixes such a cell
with ``'``, which spreadsheets show as text. Numbers are never touched (a negative Goldstein stays a number)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[=+@\t\r-]"


def safe_cell(value: Any) -> Any:
    """A CSV cell's value with a leading formula character neutralised (text only)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_expr(expr: str) -> str:
    """A SQL text expression's value with a leading formula character neutralised."""
    return f"CASE WHEN regexp_matches({expr}, '{_FORMULA_PATTERN}') THEN '''' || {expr} ELSE {expr} END"


def safe_sql(column: str) -> str:
    """A SQL expression for a text column's value with a leading formula character neutralised."""
    name = '"' + column.replace('"', '""') + '"'
    return f"{safe_expr(name)} AS {name}"


def write_table(table: pa.Table, fmt: str, out: Any) -> None:
    """Write an Arrow table as ``csv`` (with header, formula cells neutralised) or ``parquet`` to ``out``: a
    path or a binary stream."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, out)
    elif fmt == "csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(safe_table(table), out)
    else:
        raise ValueError(f"format must be csv or parquet, not {fmt!r}")


def safe_table(table: pa.Table) -> pa.Table:
    """An Arrow table with every text cell that starts a formula neutralised."""
    import pyarrow as pa  # (here: the command line imports this module, and pyarrow is slow to import)
    import pyarrow.compute as pc

    for i, column in enumerate(table.schema):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            values = table.column(i)
            risky = pc.match_substring_regex(values, _FORMULA_PATTERN)
            fixed = pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)
            table = table.set_column(i, column, fixed)
    return table
