// 与本机 jyyz 服务通信（ES5，同步 XMLHttpRequest：WPS 的功能区回调和自定义函数都必须是同步的）。
//
// 服务地址与本次启动的访问令牌取自服务的发现文件 service.json（只有本人账户可读），
// 用 WPS 的 wps.FileSystem.ReadFile 读取；令牌不经过任何网址或网页。
// 所有 /api/v1 请求带请求头 X-JYYZ-Token。
var Jyyz = (function () {
    "use strict";

    var NOT_RUNNING = "jyyz 服务未启动：请先运行“jyyz serve”（或双击桌面上的 jyyz 快捷方式），然后按 F9 重新计算";
    var TOKEN_HEADER = "X-JYYZ-Token";
    var API = "/api/v1";
    var cached = null;

    // Arrays may come from another realm (the host's bridge): no instanceof.
    function isArray(v) {
        return Object.prototype.toString.call(v) === "[object Array]";
    }

    // A failure the clerk reads (never a JS error in a cell or a ribbon callback).
    function Failure(message, down) {
        this.message = message;
        this.down = !!down;
    }

    function wpsObject() {
        return typeof wps !== "undefined" ? wps : null;
    }

    function join(dir, name) {
        if (!dir) {
            return null;
        }
        var sep = dir.indexOf("\\") >= 0 && dir.indexOf("/") < 0 ? "\\" : "/";
        var last = dir.charAt(dir.length - 1);
        return (last === "/" || last === "\\" ? dir : dir + sep) + name;
    }

    function call(owner, name) {
        try {
            if (owner && typeof owner[name] === "function") {
                return owner[name]();
            }
        } catch (e) {
            return null;
        }
        return null;
    }

    function isWindows() {
        return typeof navigator !== "undefined" && /Windows/i.test(navigator.userAgent || "");
    }

    // Where `jyyz serve` writes service.json (xl_addin/service/discovery.py): the path the
    // installer wrote into config.js, else %LOCALAPPDATA%\jyyz on Windows, else
    // ~/.local/state/jyyz.
    function discoveryPath() {
        if (typeof JYYZ_CONFIG !== "undefined" && JYYZ_CONFIG && JYYZ_CONFIG.discovery) {
            return JYYZ_CONFIG.discovery;
        }
        var w = wpsObject();
        var env = w ? w.Env : null;
        var home = call(env, "GetHomePath");
        if (isWindows()) {
            var roaming = call(env, "GetAppDataPath");
            var local = roaming ? roaming.replace(/[\\\/]Roaming[\\\/]?$/i, "\\Local") : null;
            if (!local && home) {
                local = join(join(home, "AppData"), "Local");
            }
            return join(join(local, "jyyz"), "service.json");
        }
        return home ? join(join(join(join(home, ".local"), "state"), "jyyz"), "service.json") : null;
    }

    function readDiscovery() {
        var w = wpsObject();
        var path = discoveryPath();
        if (!w || !w.FileSystem || !path) {
            return null;
        }
        var text;
        try {
            if (typeof w.FileSystem.Exists === "function" && !w.FileSystem.Exists(path)) {
                return null;
            }
            text = w.FileSystem.ReadFile(path);
        } catch (e) {
            return null;
        }
        try {
            var info = JSON.parse(text);
            if (!info || typeof info.port !== "number" || !info.token) {
                return null;
            }
            return { base: "http://127.0.0.1:" + info.port, token: String(info.token) };
        } catch (e2) {
            return null;
        }
    }

    function service(fresh) {
        if (!cached || fresh) {
            cached = readDiscovery();
        }
        if (!cached) {
            throw new Failure(NOT_RUNNING, true);
        }
        return cached;
    }

    function send(info, method, path, body) {
        var xhr = new XMLHttpRequest();
        try {
            xhr.open(method, info.base + path, false);
            if (path !== API + "/health") {
                xhr.setRequestHeader(TOKEN_HEADER, info.token);
            }
            if (body !== undefined) {
                xhr.setRequestHeader("Content-Type", "application/json");
                xhr.send(JSON.stringify(body));
            } else {
                xhr.send();
            }
        } catch (e) {
            return null; // connection refused: nobody listens on that port
        }
        if (!xhr.status) {
            return null;
        }
        return xhr;
    }

    // One API call: the parsed JSON answer, or a Failure thrown with a Chinese message.
    // A refused connection or a refused token re-reads the discovery file once (the
    // service may have been restarted on another port, with a new token).
    function request(method, path, body) {
        var info = service(false);
        var xhr = send(info, method, path, body);
        if (!xhr || xhr.status === 401) {
            info = service(true);
            xhr = send(info, method, path, body);
        }
        if (!xhr) {
            cached = null;
            throw new Failure(NOT_RUNNING, true);
        }
        var data = null;
        try {
            data = JSON.parse(xhr.responseText);
        } catch (e) {
            data = null;
        }
        if (xhr.status >= 400) {
            var detail = data && data.detail ? data.detail : "jyyz 服务返回错误（HTTP " + xhr.status + "）";
            throw new Failure(typeof detail === "string" ? detail : JSON.stringify(detail), false);
        }
        if (data === null) {
            throw new Failure("jyyz 服务的回答无法读取（HTTP " + xhr.status + "）", false);
        }
        return data;
    }

    function message(err) {
        if (err instanceof Failure) {
            return err.message;
        }
        return "jyyz 加载项内部错误：" + (err && err.message ? err.message : String(err));
    }

    // ------------------------------------------------------------------ worksheet functions

    // A JS Date (should a host pass one) as the Excel serial of its calendar day.
    function serial(d) {
        return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86400000 + 25569;
    }

    function scalar(v) {
        if (v === undefined || v === "") {
            return null;
        }
        return Object.prototype.toString.call(v) === "[object Date]" ? serial(v) : v;
    }

    // An argument as WPS passes it: a range object (Value2), a 2-D array, or one value.
    function argValue(v) {
        if (v === undefined) {
            return null;
        }
        if (v !== null && typeof v === "object" && !isArray(v) && "Value2" in v) {
            v = v.Value2;
        }
        if (isArray(v)) {
            var out = [];
            for (var i = 0; i < v.length; i++) {
                if (isArray(v[i])) {
                    var row = [];
                    for (var j = 0; j < v[i].length; j++) {
                        row.push(scalar(v[i][j]));
                    }
                    out.push(row);
                } else {
                    out.push([scalar(v[i])]);
                }
            }
            return out;
        }
        return scalar(v);
    }

    function cellValue(v) {
        if (v === null || v === undefined) {
            return "";
        }
        if (isArray(v)) {
            if (v.length === 1 && isArray(v[0]) && v[0].length === 1) {
                return cellValue(v[0][0]);
            }
            var out = [];
            for (var i = 0; i < v.length; i++) {
                var row = [];
                var src = isArray(v[i]) ? v[i] : [v[i]];
                for (var j = 0; j < src.length; j++) {
                    row.push(src[j] === null || src[j] === undefined ? "" : src[j]);
                }
                out.push(row);
            }
            return out;
        }
        return v;
    }

    // =JYYZ.NAME(args…): the service computes it with the Python function of the same name.
    // Trailing omitted arguments are left out; an error is the cell's text ("错误：…").
    function cellFunction(name, args) {
        var count = args.length;
        while (count > 0 && args[count - 1] === undefined) {
            count -= 1; // trailing arguments the formula leaves out
        }
        var list = [];
        for (var i = 0; i < count; i++) {
            list.push(argValue(args[i]));
        }
        try {
            var answer = request("POST", API + "/functions/" + name, { args: list });
            return cellValue(answer.value);
        } catch (err) {
            var text = message(err);
            return err instanceof Failure && err.down ? text : "错误：" + text.replace(/^错误：/, "");
        }
    }

    return {
        API: API,
        NOT_RUNNING: NOT_RUNNING,
        Failure: Failure,
        request: request,
        message: message,
        service: service,
        discoveryPath: discoveryPath,
        cellFunction: cellFunction
    };
})();
