Attribute VB_Name = "RibbonJyyz"
' Callbacks of the ribbon tab in customUI/customUI14.xml (onAction="RibbonJyyz.<Sub>").
' Each button runs one Python function of the installed jyyz package through xlwings'
' RunPython, the way xlwings' own ribbon add-in (quickstart --addin --ribbon) does: a new
' Python process started with the interpreter of the user config (%USERPROFILE%\.jyyz\jyyz.conf,
' written by "jyyz install"); Python finds the workbook with xw.Book.caller(), which is the
' active workbook (RunPython passes ActiveWorkbook.Name as --wb).
' This file is kept in ASCII: the project code page is 1252 like xlwings' own add-in; every
' Chinese word the clerk reads comes from customUI14.xml (UTF-8) or from Python.
Option Explicit

Private Sub RunJyyz(ByVal moduleName As String, ByVal procedureName As String)
    If ActiveWorkbook Is Nothing Then
        MsgBox ChrW(&H8BF7) & ChrW(&H5148) & ChrW(&H6253) & ChrW(&H5F00) & ChrW(&H53F0) & ChrW(&H8D26), vbInformation, "jyyz"
        Exit Sub
    End If
    RunPython "import " & moduleName & "; " & moduleName & "." & procedureName & "()"
End Sub

Sub OnRibbonLoad(ribbon As IRibbonUI)
    ' Called once when Excel loads the add-in: the function help of "Import Functions".
    RegisterFunctionHelp
End Sub

Sub JyFillColumns(control As IRibbonControl)
    RunJyyz "xl_addin.scripts", "jy_fill_columns"
End Sub

Sub JyCheckLedger(control As IRibbonControl)
    RunJyyz "xl_addin.scripts", "jy_check_ledger"
End Sub

Sub JyMakeAgreements(control As IRibbonControl)
    RunJyyz "xl_addin.scripts", "jy_make_agreements"
End Sub

Sub JyMakeNotice(control As IRibbonControl)
    RunJyyz "xl_addin.scripts", "jy_make_notice"
End Sub

Sub JyMakeLetters(control As IRibbonControl)
    RunJyyz "xl_addin.scripts", "jy_make_letters"
End Sub

Sub JyOpenPage(control As IRibbonControl)
    ' Needs no workbook: starts "jyyz serve" (or opens the running service's page) with the
    ' configured interpreter, without waiting; Python reports a failure in a message box.
    Dim interpreter As String
    interpreter = GetConfig("INTERPRETER_WIN", "pythonw")
    Shell """" & interpreter & """ -m xl_addin.excel.ribbon --open-page", vbHide
End Sub

Sub JySettings(control As IRibbonControl)
    RunJyyz "xl_addin.excel.ribbon", "jy_settings"
End Sub
