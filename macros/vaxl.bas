Attribute VB_Name = "vaxl"
' vaxl: one-click buttons for the billing workbook.
' Each button runs vaxl's Python entry point through xlwings' RunPython
' (the xlwings add-in, or the xlwings module inside a standalone workbook).
' Settings (the Python interpreter, ...) come from xlwings.conf: see docs/excel.md.
Option Explicit

Sub VaxlValidate()
    RunPython "import vaxl.io.excel as x; x.validate()"
End Sub

Sub VaxlInvoices()
    RunPython "import vaxl.io.excel as x; x.invoices()"
End Sub

Sub VaxlReport()
    RunPython "import vaxl.io.excel as x; x.report()"
End Sub

Sub VaxlRun()
    RunPython "import vaxl.io.excel as x; x.run()"
End Sub

Sub VaxlPdfs()
    RunPython "import vaxl.io.excel as x; x.pdfs()"
End Sub
