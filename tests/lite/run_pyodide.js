// Load a Pyodide distribution in Node, install wheels (micropip, no index), run probe.py.
// usage: node run_pyodide.js PYODIDE_DIR WHEEL_DIR PROBE_DIR INPUT_DIR PACKAGES
// PACKAGES: comma-separated packages of the distribution to load first (what Lite's Pyodide
// provides for jyyz's dependencies, and what requirements.txt names, such as ssl).
const path = require("path");
const [distDir, wheelDir, probeDir, inputDir] = process.argv.slice(2, 6).map((p) => path.resolve(p));
const packages = (process.argv[6] || "").split(",").filter(Boolean);
const { loadPyodide } = require(path.join(distDir, "pyodide.js"));

(async () => {
  const py = await loadPyodide({ indexURL: distDir + path.sep, stdout: () => {}, stderr: () => {} });
  await py.loadPackage(["micropip", "packaging", ...packages]);
  for (const [mount, dir] of [["/wheels", wheelDir], ["/probe", probeDir], ["/input", inputDir]]) {
    py.FS.mkdirTree(mount);
    py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, mount);
  }
  const out = await py.runPythonAsync(`
import json, os, sys, micropip
await micropip.install(
    ["emfs:/wheels/" + f for f in sorted(os.listdir("/wheels")) if f.endswith(".whl")], deps=False
)
sys.path.insert(0, "/probe")
import probe
json.dumps(await probe.probe("/input"), ensure_ascii=False, default=str)
`);
  process.stdout.write(out);
})().catch((err) => {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
});
