/* Update the progress bar without reloading the page; reload once when the job has ended.
   Without JavaScript the page refreshes itself every second (<noscript><meta refresh>).
   Old browsers: XMLHttpRequest only, no fetch, no arrows. */
(function () {
  var script = document.currentScript || document.scripts[document.scripts.length - 1];
  var job = script && script.getAttribute("data-job");
  if (!job || !window.XMLHttpRequest || !window.JSON) {
    setTimeout(function () { window.location.reload(); }, 1000);
    return;
  }
  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/api/v1/jobs/" + job, true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      if (xhr.status !== 200) { window.location.reload(); return; }
      var s = JSON.parse(xhr.responseText);
      if (s.state !== "running") { window.location.reload(); return; }
      var p = Math.round(100 * Math.min(1, s.progress.done / (s.progress.total || 1)));
      document.getElementById("bar").value = p;
      document.getElementById("percent").textContent = p + "%";
      document.getElementById("label").textContent = s.progress.label;
      document.getElementById("seconds").textContent = Math.floor(s.progress.seconds);
      setTimeout(poll, 700);
    };
    xhr.send();
  }
  setTimeout(poll, 700);
})();
