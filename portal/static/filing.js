// Live progress: ask for the job's status every second; when the validation is done,
// put the report into the page (no reload).
(function () {
  var box = document.getElementById("report");
  if (!box || box.dataset.done === "true") { return; }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.done) {
          return fetch(box.dataset.reportUrl, { credentials: "same-origin" })
            .then(function (response) { return response.text(); })
            .then(function (html) { box.innerHTML = html; box.dataset.done = "true"; });
        }
        var status = document.getElementById("job-status");
        if (status && status.dataset[job.status]) { status.textContent = status.dataset[job.status]; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
