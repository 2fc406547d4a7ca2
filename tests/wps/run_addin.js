// Loads the jyyz WPS add-in (index.html and its scripts, unchanged) in jsdom, with the fake
// ET object model as WPS's `Application` and `wps`, and runs a scenario against whatever
// service the add-in finds (a real `jyyz serve` in the tests). jsdom stands in for WPS's
// embedded Chromium: real synchronous XMLHttpRequest, real CORS, Origin "null" for a page
// loaded from local files.
//
// usage: node run_addin.js scenario.json  → prints the outcome as JSON on stdout.
// scenario: {url, home, appdata?, user_agent?, workbook?: {name, sheets:[{name, rows, formulas?}],
//            active, selection}, steps: [{button: "btnFill"} | {call: "JY_ID", args: [...]}]}
"use strict";

const fs = require("node:fs");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Application, makeWps } = require("./fake_et.js");

async function main() {
  const scenario = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const app = new Application(scenario.workbook || null);
  const wps = makeWps(app, { home: scenario.home, appdata: scenario.appdata });
  const alerts = [];
  const errors = [];
  const consoleLines = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on("jsdomError", (e) => errors.push(String(e && (e.stack || e.message || e))));
  virtualConsole.on("error", (...a) => consoleLines.push(a.join(" ")));
  virtualConsole.on("warn", (...a) => consoleLines.push(a.join(" ")));

  const options = {
    runScripts: "dangerously",
    resources: "usable",
    virtualConsole,
    pretendToBeVisual: true,
    beforeParse(window) {
      window.Application = app;
      window.wps = wps;
      window.alert = (text) => alerts.push(String(text));
      if (scenario.user_agent) {
        Object.defineProperty(window.navigator, "userAgent", { value: scenario.user_agent });
      }
    },
  };
  const dom = scenario.url.startsWith("file:")
    ? await JSDOM.fromFile(new URL(scenario.url).pathname, options)
    : await JSDOM.fromURL(scenario.url, options);
  const window = dom.window;
  await new Promise((resolve) => {
    if (window.document.readyState === "complete") resolve();
    else window.addEventListener("load", () => resolve());
  });

  const ribbon = { invalidated: [] };
  const loaded = typeof window.OnAddinLoad === "function" ? window.OnAddinLoad(ribbon) : null;
  const results = [];
  for (const step of scenario.steps || []) {
    if (step.button) {
      const before = alerts.length;
      let threw = null;
      let returned;
      try {
        returned = window.OnAction({ Id: step.button });
      } catch (e) {
        threw = String(e && (e.stack || e));
      }
      // documents: the callback returned at once and follows the job with timers
      const started = Date.now();
      while (window.JyyzState && window.JyyzState.busy && Date.now() - started < 120000) {
        await new Promise((r) => setTimeout(r, 100));
      }
      results.push({
        button: step.button,
        returned,
        threw,
        image: window.GetImage({ Id: step.button }),
        alerts: alerts.slice(before),
        busy: Boolean(window.JyyzState && window.JyyzState.busy),
      });
    } else if (step.call) {
      const fn = wps.registered.find((f) => f.name === step.call);
      let value;
      let threw = null;
      try {
        // {"$date": "2026-11-01"} stands for a JS Date made in the page (a host may pass one)
        const args = (step.args || []).map((a) =>
          a && a.$date ? new window.Date(...a.$date.split("-").map((x, i) => Number(x) - (i === 1 ? 1 : 0))) : a,
        );
        value = fn.fn.apply(null, args);
      } catch (e) {
        threw = String(e && (e.stack || e));
      }
      results.push({ call: step.call, value: value === undefined ? "<undefined>" : value, threw });
    }
  }

  const out = {
    loaded,
    registered: wps.registered.map((f) => ({ namespace: f.namespace, name: f.name, arity: f.fn.length })),
    globals: Object.keys(window).filter((k) => /^(On|Get)/.test(k) && typeof window[k] === "function"),
    results,
    alerts,
    errors,
    console: consoleLines,
    log: app.log,
    hyperlinks: app.workbook ? app.workbook.hyperlinks : [],
    shell: wps.OAAssist.shell,
    selection: app.selection ? { sheet: app.selection.sheet.name, range: app.selection.address() } : null,
    active: app.activeSheet ? app.activeSheet.name : null,
    sheets: app.workbook ? app.workbook.sheets.map((s) => s.dump()) : [],
  };
  window.close();
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && (e.stack || e)) + "\n");
  process.exit(2);
});
