"""Invoice, register, ledger, report and validation tabs as neutral grids.

Every sink (xlsx writer, xlwings, Google Sheets, PDF) copies these grids out;
no sink lays anything out by itself.
"""
