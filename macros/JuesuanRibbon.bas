Attribute VB_Name = "JuesuanRibbon"
' Juesuan (jue suan gong kai zhu shou) ribbon callbacks.
'
' Every button on the ribbon tab (addin/customUI.xml) names ONE callback, JuesuanRibbon_OnAction,
' and carries a tag: fill, check, narrate, export or doctor. The tag is handed to the fixed ASCII
' Python entry point juesuan.excel.dispatch(tag) -- never to a module named after the workbook,
' so Chinese file names cannot break the call, and a new button is an XML change plus a tag that
' dispatch accepts.
'
' Python is started by RunPython from the module "xlwings" in this project: xlwings' BSD-licensed
' VBA for custom add-ins (xlwings_custom_addin.bas, PROJECT_NAME = "juesuan"). It runs the
' interpreter named by INTERPRETER_WIN in %USERPROFILE%\.juesuan\juesuan.conf, which
' "juesuan addin install" writes, and passes the active workbook as xw.Book.caller().
'
' This file must stay ASCII (code page 1252). The Chinese messages below are \uXXXX escapes,
' decoded by Zh(); their readable text is in src/juesuan/addin/messages.py.
Option Explicit

Private Const MSG_TITLE As String = "\u51B3\u7B97\u516C\u5F00\u52A9\u624B"
Private Const MSG_UNKNOWN_BUTTON As String = "\u52A0\u8F7D\u9879\u4E0D\u8BA4\u8BC6\u8FD9\u4E2A\u6309\u94AE\uFF08unknown button\uFF09\uFF1A"
Private Const MSG_NO_WORKBOOK As String = "\u8BF7\u5148\u6253\u5F00\u8981\u5904\u7406\u7684\u51B3\u7B97\u5DE5\u4F5C\u7C3F\uFF0C\u518D\u70B9\u51FB\u529F\u80FD\u533A\u6309\u94AE\u3002\uFF08Open a workbook first.\uFF09"
Private Const MSG_NO_PYTHON As String = "\u5C1A\u672A\u4E3A\u51B3\u7B97\u516C\u5F00\u52A9\u624B\u914D\u7F6E Python\uFF08Python not configured\uFF09\u3002\u8BF7\u5728\u547D\u4EE4\u63D0\u793A\u7B26\u4E2D\u4F9D\u6B21\u8FD0\u884C\uFF1A"
Private Const MSG_INSTALL_STEPS As String = "pip install juesuan xlwings\u000D\u000Ajuesuan addin install"
Private Const MSG_RESTART As String = "\u7136\u540E\u91CD\u65B0\u542F\u52A8 Excel\u3002\uFF08Then restart Excel.\uFF09"
Private Const MSG_PYTHON_MISSING As String = "\u627E\u4E0D\u5230\u5DF2\u914D\u7F6E\u7684 Python \u89E3\u91CA\u5668\uFF08Python interpreter not found\uFF09\uFF1A"
Private Const MSG_IMPORT_FAILED As String = "\u5728\u5DF2\u914D\u7F6E\u7684 Python \u4E2D\u65E0\u6CD5\u5BFC\u5165 juesuan \u6216 xlwings\uFF08cannot import juesuan or xlwings\uFF09\u3002\u8BF7\u5728\u547D\u4EE4\u63D0\u793A\u7B26\u4E2D\u4F9D\u6B21\u8FD0\u884C\uFF1A"
Private Const MSG_PYTHON_FAILED As String = "Python \u8FD0\u884C\u51FA\u9519\uFF0C\u672C\u6B21\u64CD\u4F5C\u672A\u5B8C\u6210\uFF08Python failed\uFF09\u3002\u8BF7\u70B9\u51FB\u300C\u73AF\u5883\u8BCA\u65AD\u300D\u68C0\u67E5\u73AF\u5883\uFF0C\u6216\u628A\u4E0A\u4E00\u4E2A\u7A97\u53E3\u4E2D\u7684\u9519\u8BEF\u4FE1\u606F\u53D1\u7ED9\u6280\u672F\u652F\u6301\u3002"
Private Const MSG_VBA_FAILED As String = "\u52A0\u8F7D\u9879\u5185\u90E8\u9519\u8BEF\uFF08add-in error\uFF09\uFF1A"

Public Const JUESUAN_PYTHON_MODULE As String = "juesuan.excel"

' True once this Excel session has seen the configured Python import juesuan.excel.
Private mPythonChecked As Boolean

Public Sub JuesuanRibbon_OnAction(control As IRibbonControl)
    ' The ribbon callback of every button: forwards the button's tag.
    JuesuanRun control.Tag
End Sub

Public Sub JuesuanRun(ByVal tag As String)
    ' Runs one ribbon action in Python, or shows a Chinese message box saying why it cannot.
    ' A Sub, not a Function, so Excel does not offer it as a worksheet function.
    On Error GoTo Failed
    If Not IsSafeTag(tag) Then
        MsgBox Zh(MSG_UNKNOWN_BUTTON) & tag, vbCritical, Zh(MSG_TITLE)
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then
        MsgBox Zh(MSG_NO_WORKBOOK), vbExclamation, Zh(MSG_TITLE)
        Exit Sub
    End If
    If Not PythonReady() Then Exit Sub
    If RunPython("import juesuan.excel; juesuan.excel.dispatch('" & tag & "')") = -1 Then
        MsgBox Zh(MSG_PYTHON_FAILED), vbCritical, Zh(MSG_TITLE)
    End If
    Exit Sub
Failed:
    MsgBox Zh(MSG_VBA_FAILED) & Err.Description, vbCritical, Zh(MSG_TITLE)
End Sub

Private Function IsSafeTag(ByVal tag As String) As Boolean
    ' A tag goes into Python source: allow only lower-case ASCII letters and digits.
    Dim i As Long
    Dim c As String
    If Len(tag) = 0 Or Len(tag) > 32 Then Exit Function
    For i = 1 To Len(tag)
        c = Mid$(tag, i, 1)
        If Not (c Like "[a-z0-9]") Then Exit Function
    Next i
    IsSafeTag = True
End Function

Private Function PythonReady() As Boolean
    ' Checks once per Excel session, before xlwings runs anything, that the configured Python
    ' exists and can import juesuan.excel, so a missing install gives a Chinese message, not a
    ' Python traceback.
    Dim interpreter As String
    Dim exitCode As Long
    If mPythonChecked Then
        PythonReady = True
        Exit Function
    End If
    interpreter = GetConfig("INTERPRETER_WIN", "")
    If interpreter = "" Then
        MsgBox Zh(MSG_NO_PYTHON) & vbCrLf & vbCrLf & Zh(MSG_INSTALL_STEPS) & vbCrLf & vbCrLf & _
            Zh(MSG_RESTART), vbExclamation, Zh(MSG_TITLE)
        Exit Function
    End If
    If Not FileExists(interpreter) Then
        MsgBox Zh(MSG_PYTHON_MISSING) & vbCrLf & interpreter & vbCrLf & vbCrLf & _
            Zh(MSG_INSTALL_STEPS), vbExclamation, Zh(MSG_TITLE)
        Exit Function
    End If
    If GetConfig("CONDA PATH", "") = "" Then
        ' Hidden window, wait for the exit code. Skipped for conda, whose Python needs activating.
        exitCode = CreateObject("WScript.Shell").Run(Chr(34) & interpreter & Chr(34) & _
            " -c " & Chr(34) & "import xlwings, " & JUESUAN_PYTHON_MODULE & Chr(34), 0, True)
        If exitCode <> 0 Then
            MsgBox Zh(MSG_IMPORT_FAILED) & vbCrLf & vbCrLf & Zh(MSG_INSTALL_STEPS), _
                vbExclamation, Zh(MSG_TITLE)
            Exit Function
        End If
    End If
    mPythonChecked = True
    PythonReady = True
End Function

Private Function Zh(ByVal s As String) As String
    ' Decodes \uXXXX escapes (four hex digits) into Unicode characters; other text is kept.
    Dim i As Long
    Dim code As Long
    Dim out As String
    i = 1
    Do While i <= Len(s)
        If Mid$(s, i, 2) = "\u" And i + 5 <= Len(s) Then
            code = CLng("&H" & Mid$(s, i + 2, 4))
            If code < 0 Then code = code + 65536
            out = out & ChrW(code)
            i = i + 6
        Else
            out = out & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    Zh = out
End Function
