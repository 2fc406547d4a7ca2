Attribute VB_Name = "RibbonJyyz"
' Callbacks of the ribbon tab in customUI/customUI14.xml (onAction="RibbonJyyz.<Sub>").
' Each button runs one Python function of the installed jyyz package through xlwings'
' RunPython, the way xlwings' own ribbon add-in (quickstart --addin --ribbon) does: a new
' Python process started with the interpreter of the user config (%USERPROFILE%\.jyyz\jyyz.conf,
' written by "jyyz install"); Python finds the workbook with xw.Book.caller(), which is the
' active workbook (RunPython passes ActiveWorkbook.Name as --wb).
' This file is kept in ASCII: the project code page is 1252 like xlwings' own add-in; Chinese
' text is written as UTF-16 code units for JyyzText (module jyyz_help), the comment above each
' such line gives it as a Python escape.
Option Explicit

Private Sub RunJyyz(ByVal moduleName As String, ByVal procedureName As String)
    If ActiveWorkbook Is Nothing Then
        ' \u8bf7\u5148\u6253\u5f00\u53f0\u8d26
        MsgBox JyyzText("8BF7514862535F0053F08D26"), vbInformation, "jyyz"
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

Sub JyMakeReport(control As IRibbonControl)
    RunJyyz "xl_addin.scripts", "jy_make_report"
End Sub

Sub JyOpenPage(control As IRibbonControl)
    ' Needs no workbook: starts "jyyz serve" (or opens the running service's page) with the
    ' configured interpreter, without waiting; Python reports a failure in a message box.
    Dim interpreter As String
    On Error GoTo failed
    interpreter = GetConfig("INTERPRETER_WIN", "pythonw")
    Shell """" & interpreter & """ -m xl_addin.excel.ribbon --open-page", vbHide
    Exit Sub
failed:
    ' \u6253\u4e0d\u5f00 jyyz \u9875\u9762\uff1a\u6ca1\u6709\u627e\u5230 Python\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c jyyz install\u3002
    MsgBox JyyzText("62534E0D5F000020006A00790079007A002098759762FF1A6CA16709627E523000200050007900740068006F006E30028BF791CD65B08FD0884C0020006A00790079007A00200069006E007300740061006C006C3002") & vbCrLf & interpreter & vbCrLf & Err.Description, vbExclamation, "jyyz"
End Sub

Sub JySettings(control As IRibbonControl)
    RunJyyz "xl_addin.excel.ribbon", "jy_settings"
End Sub
