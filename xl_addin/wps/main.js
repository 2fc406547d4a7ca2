// 功能区“就业援助”选项卡的回调（ribbon.xml 的 onLoad / onAction / getImage）。
// ES5，全部同步：WPS 12.1.0.23542 等版本上 async 回调会使功能区不显示。
// 每个按钮与 Excel 加载项的同名按钮做同一件事，计算都在本机 jyyz 服务中完成。

var JYYZ_MAX_NOTES = 5000; // beyond this only the 检查结果 sheet lists the problems
var JYYZ_POLL_MS = 500;

// What the add-in did last (the test harness and the clerk's F12 console read it).
var JyyzState = { busy: false, last: null };

function OnAddinLoad(ribbonUI) {
    if (typeof window.Application === "object" && window.Application) {
        if (typeof window.Application.ribbonUI !== "object") {
            window.Application.ribbonUI = ribbonUI;
        }
    }
    return true;
}

// The spelling some WPS samples use.
function OnAddInLoad(ribbonUI) {
    return OnAddinLoad(ribbonUI);
}

var JYYZ_ACTIONS = {
    btnFill: function () { return jyyzFill(); },
    btnCheck: function () { return jyyzCheck(); },
    btnAgreements: function () { return jyyzDocs("agreement", "协议书", true); },
    btnNotice: function () { return jyyzDocs("notice", "公示", false); },
    btnLetters: function () { return jyyzDocs("letter", "责任书", false); },
    btnReport: function () { return jyyzReport(); },
    btnPage: function () { return jyyzOpenPage(); }
};

var JYYZ_IMAGES = {
    btnFill: "images/fill.svg",
    btnCheck: "images/check.svg",
    btnAgreements: "images/agreement.svg",
    btnNotice: "images/notice.svg",
    btnLetters: "images/letters.svg",
    btnReport: "images/report.svg",
    btnPage: "images/page.svg"
};

function OnAction(control) {
    var id = control && (control.Id || control.id);
    var action = JYYZ_ACTIONS[id];
    if (!action) {
        return true;
    }
    if (JyyzState.busy) {
        jyyzTell("jyyz 正在处理上一个操作，请稍候");
        return true;
    }
    try {
        action();
    } catch (err) {
        JyyzState.busy = false;
        jyyzTell(Jyyz.message(err));
    }
    return true;
}

function GetImage(control) {
    var id = control && (control.Id || control.id);
    return JYYZ_IMAGES[id] || "images/fill.svg";
}

function jyyzTell(text) {
    JyyzState.last = text;
    alert(text);
}

function jyyzBook() {
    var app = JyyzSheet.app();
    var book = app ? JyyzSheet.prop(app, "ActiveWorkbook") : null;
    if (!book) {
        throw new Jyyz.Failure("请先打开台账工作簿", false);
    }
    return book;
}

function jyyzSummary(summary) {
    var lines = [];
    var rows = summary && summary.rows ? summary.rows : [];
    for (var i = 0; i < rows.length; i++) {
        lines.push(rows[i][0] + "：" + rows[i][1]);
    }
    return lines.join("\n");
}

// 填写计算列
function jyyzFill() {
    var book = jyyzBook();
    var res = Jyyz.request("POST", Jyyz.API + "/sheet/fill", JyyzSheet.workbookPayload(book));
    var sheet = JyyzSheet.findSheet(book, res.sheet);
    JyyzSheet.writeFill(sheet, res);
    JyyzSheet.select(sheet, res.first_problem_cell);
    var text = "填写计算列：已写入第" + res.row_numbers[0] + "–" + res.row_numbers[res.row_numbers.length - 1] +
        "行（政策 " + res.policy + "，认定基准日期 " + res.as_of + "）\n" + jyyzSummary(res.summary);
    if (res.first_problem_cell) {
        text += "\n已选中第一个数据问题所在的单元格 " + res.first_problem_cell;
    }
    text += "\n如需撤销，按 Ctrl+Z；工作簿尚未保存。";
    jyyzTell(text);
    return res;
}

// 检查台账
function jyyzCheck() {
    var book = jyyzBook();
    var res = Jyyz.request("POST", Jyyz.API + "/sheet/check", JyyzSheet.workbookPayload(book));
    var ledger = JyyzSheet.findSheet(book, res.recognised.sheet);
    JyyzSheet.markCells(ledger, res.marks, JYYZ_MAX_NOTES);
    JyyzSheet.resultSheet(book, res.result_sheet.name, res.result_sheet.rows);
    var first = null;
    for (var i = 0; i < res.marks.length; i++) {
        if (res.marks[i].level === "error") {
            first = res.marks[i].cell;
            break;
        }
    }
    JyyzSheet.select(ledger, first);
    var s = res.summary;
    jyyzTell("检查台账：" + s.people + "人，错误" + s.errors + "处，提示" + s.notices +
        "处（已标色并加批注，明细见“" + res.result_sheet.name + "”工作表）");
    return res;
}

// 生成协议书 / 公示 / 责任书: the service makes the papers (a job), saves them into a folder
// the clerk sees and the folder is opened. The callback returns at once; the job is
// followed with timers so WPS stays responsive.
function jyyzDocs(kind, label, needSelection) {
    var book = jyyzBook();
    var payload = JyyzSheet.workbookPayload(book);
    payload.kind = kind;
    if (kind !== "letter") {
        var active = JyyzSheet.prop(JyyzSheet.app(), "ActiveSheet");
        var span = active ? JyyzSheet.selectedRows(JyyzSheet.prop(active, "Name")) : null;
        if (span && span[1] > 1) {
            payload.rows = Math.max(span[0], 2) + "-" + span[1];
        } else if (needSelection) {
            throw new Jyyz.Failure("请先在台账中选中要生成" + label + "的人员所在行（可多选连续行）", false);
        }
    }
    var started = Jyyz.request("POST", Jyyz.API + "/sheet/docs", payload);
    JyyzState.busy = true;
    jyyzFollow(started.job, label);
    return started;
}

// 统计报表: the service counts the open workbook's values (a job, as 生成文书), for the
// current quarter and the policy of the 设置/参数 sheet; the report workbook and its 通报
// are saved into a folder the clerk sees and the folder is opened.
function jyyzReport() {
    var book = jyyzBook();
    var started = Jyyz.request("POST", Jyyz.API + "/sheet/report", JyyzSheet.workbookPayload(book));
    JyyzState.busy = true;
    jyyzFollow(started.job, "统计报表");
    return started;
}

// What the finished job made, for the message: "（2026年第四季度，120人）" for a report.
function jyyzMade(status) {
    var r = status && status.report;
    if (!r) {
        return "";
    }
    var text = "（" + r.period + "，" + r.persons + "人";
    if (r.duplicates) {
        text += "，其中" + r.duplicates + "人重复只计一次";
    }
    return text + "）";
}

function jyyzFileNames(status) {
    var names = [];
    var files = status && status.files ? status.files : [];
    for (var i = 0; i < files.length; i++) {
        names.push(files[i].name);
    }
    return names.join("、");
}

function jyyzFollow(job, label) {
    var status;
    try {
        status = Jyyz.request("GET", Jyyz.API + "/jobs/" + job);
    } catch (err) {
        JyyzState.busy = false;
        jyyzTell("生成" + label + "失败：" + Jyyz.message(err));
        return;
    }
    if (status.state === "running") {
        setTimeout(function () { jyyzFollow(job, label); }, JYYZ_POLL_MS);
        return;
    }
    JyyzState.busy = false;
    if (status.state !== "done") {
        // the command line's words for the selection, as the Excel buttons say them
        var why = String(status.message || "未知原因").replace("请检查 --rows / --where 条件", "请检查选中的行");
        jyyzTell("生成" + label + "失败：" + why);
        return;
    }
    try {
        var saved = Jyyz.request("POST", Jyyz.API + "/jobs/" + job + "/save");
        jyyzOpenFolder(saved.folder);
        var text = "已生成" + label + jyyzMade(status) + "，保存在文件夹：\n" + saved.folder;
        if (status.report) {
            text += "\n文件：" + jyyzFileNames(status);
        }
        jyyzTell(text);
    } catch (err2) {
        jyyzTell("生成" + label + "后保存失败：" + Jyyz.message(err2));
    }
}

function jyyzFileUrl(path) {
    var p = String(path).replace(/\\/g, "/");
    return "file://" + (p.charAt(0) === "/" ? "" : "/") + encodeURI(p);
}

// Opens a folder or page in the system's program for it (FollowHyperlink works on Linux
// WPS too, where OAAssist.ShellExecute does nothing).
function jyyzFollowHyperlink(url) {
    var app = JyyzSheet.app();
    var book = app ? JyyzSheet.prop(app, "ActiveWorkbook") : null;
    try {
        if (book && typeof book.FollowHyperlink === "function") {
            book.FollowHyperlink(url);
            return true;
        }
    } catch (e) {
        // fall through to the shell
    }
    try {
        if (typeof wps !== "undefined" && wps.OAAssist && wps.OAAssist.ShellExecute) {
            wps.OAAssist.ShellExecute(url);
            return true;
        }
    } catch (e2) {
        return false;
    }
    return false;
}

function jyyzOpenFolder(folder) {
    return jyyzFollowHyperlink(jyyzFileUrl(folder));
}

// 打开 jyyz 页面: the service's sign-in link sets its token cookie and goes to the page.
function jyyzOpenPage() {
    var info = Jyyz.service(true);
    Jyyz.request("GET", Jyyz.API + "/health");
    var url = info.base + "/signin?token=" + encodeURIComponent(info.token);
    if (!jyyzFollowHyperlink(url)) {
        jyyzTell("请在浏览器中打开 " + info.base + "/ （或运行 jyyz serve）");
    }
    return url;
}
