"""The baseline process: pandas ``DataFrame.to_excel`` of the bare bundled table, nothing else.

Usage: python bench/baseline_pandas.py TABLE.json OUT.xlsx
TABLE.json is written by bench/datasets.py (``bundled_table_json``): header and rows, numbers
as text. No formulas, no total row, no chart, no brief: the least a pandas user would write.
"""

import json
import sys

import pandas as pd

with open(sys.argv[1], encoding="utf-8") as handle:
    record = json.load(handle)
rows = [[row[0], *(float(v) if v is not None else None for v in row[1:])] for row in record["rows"]]
frame = pd.DataFrame(rows, columns=record["columns"])
frame.to_excel(sys.argv[2], index=False, engine="xlsxwriter")
