// Live progress: ask for the job's status every second; when the validation is done,
// put the report into the page (no reload). When the session has ended (the status URL
// answers with a redirect to the login page or a refusal), say so and stop: asking again
// would never succeed. A network failure is retried, waiting longer each time (up to 30 s).
// What a screen reader should hear goes into #job-live, the page's one live region, which stays
// in the page: a region that is itself replaced is not announced, so the verdict would go unheard.
(function () {
  var box = document.getElementById("report");
  if (!box || box.dataset.done === "true") { return; }
  var status = document.getElementById("job-status");
  var live = document.getElementById("job-live");
  var wait = 3000;
  function say(text) {
    text = (text || "").replace(/\s+/g, " ").trim();
    if (live && text && live.textContent !== text) { live.textContent = text; }
  }
  function verdict() {
    // "Ongeldig. Herstel de fouten hieronder, ...": the badge, then what it means.
    var line = box.querySelector(".summary .verdict");
    if (!line) { return ""; }
    var badge = line.querySelector(".badge");
    var name = badge ? badge.textContent.trim() : "";
    var rest = line.textContent.replace(badge ? badge.textContent : "", "").trim();
    return name && rest ? name + ". " + rest : name || rest;
  }
  function stop() {
    if (status && status.dataset.expired) { status.textContent = status.dataset.expired; say(status.dataset.expired); }
    var spinner = box.querySelector(".spinner");
    if (spinner) { spinner.remove(); }
    var progress = document.getElementById("job-progress");
    if (progress) { progress.hidden = true; }
    var reload = document.getElementById("job-reload");
    if (reload) { reload.hidden = false; }
    box.dataset.done = "expired";
  }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", redirect: "manual",
                                   headers: { "Accept": "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.type === "opaqueredirect" || [401, 403, 404].indexOf(response.status) >= 0 ||
            (response.ok && !json)) {
          stop();
          return null;
        }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        if (!job) { return; }
        wait = 3000;
        if (job.done) {
          return fetch(box.dataset.reportUrl, { credentials: "same-origin" })
            .then(function (response) { return response.text(); })
            .then(function (html) { box.innerHTML = html; box.dataset.done = "true"; say(verdict()); });
        }
        if (status && status.dataset[job.status]) {
          status.textContent = status.dataset[job.status];
          say(status.dataset[job.status]);
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, wait); wait = Math.min(wait * 2, 30000); });
  }
  setTimeout(poll, 500);
})();
