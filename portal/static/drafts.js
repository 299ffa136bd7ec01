// The online forms, made better when scripts run (they work without): totals add up while you type,
// the draft is saved automatically a little after the last change, and a running check is followed.
// The calculation tree comes from the page (data-calc, made from the taxonomy's calculation linkbase):
// {total's input id: [[part's input id, weight], ...]}. Inputs are in Dutch notation: 1.234.567 and 0,80.
(function () {
  "use strict";
  var dutch = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 2 });

  function read(text) {
    text = (text || "").replace(/[\s\u20ac]/g, "");
    if (!text) { return null; }
    if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text) || text.indexOf(",") >= 0) {
      text = text.replace(/\./g, "").replace(",", ".");
    }
    var value = Number(text);
    return isFinite(value) ? value : NaN;
  }

  function totals(form) {
    var tree = JSON.parse(form.dataset.calc || "{}");
    var done = {};
    function value(id) {  // a part that is a total itself counts with what its own parts add up to when empty
      var input = document.getElementById(id);
      var own = input ? read(input.value) : null;
      if (own !== null) { return own; }
      return tree[id] ? sum(id) : 0;
    }
    function sum(id) {
      if (done[id] !== undefined) { return done[id]; }
      var total = 0;
      tree[id].forEach(function (part) { total += value(part[0]) * part[1]; });
      done[id] = Math.round(total * 100) / 100;
      return done[id];
    }
    Object.keys(tree).forEach(function (id) {
      var shown = document.getElementById(id + "-sum");
      var input = document.getElementById(id);
      if (!shown || !input) { return; }
      var computed = sum(id), entered = read(input.value);
      var differs = entered !== null && !isNaN(entered) && Math.abs(entered - computed) > 0.004;
      var template = differs ? form.dataset.differs : form.dataset.parts;
      shown.textContent = template.replace("{total}", dutch.format(computed));
      shown.classList.toggle("differs", differs);
      input.placeholder = dutch.format(computed);  // an empty total is saved as this
    });
  }

  function autosave(form) {
    // One save at a time: a save by hand waits for an automatic one still under way, and then posts
    // the revision it made (else it would be refused as stale, against this very page's own save).
    var status = document.getElementById("autosave-status");
    var timer = null, stopped = false, inflight = null;
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      if (stopped) { return; }
      var data = new FormData(form);
      data.set("action", "save");
      inflight = fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                                      headers: { "Accept": "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) { return { status: response.status, body: body }; });
        })
        .then(function (answer) {
          if (answer.status === 200 && answer.body.saved) {
            form.querySelector("input[name=revision]").value = answer.body.revision;
            say(form.dataset.saved.replace("{time}", answer.body.saved_at).replace("{revision}", answer.body.revision));
          } else if (answer.status === 409) {
            stopped = true;  // a newer revision: the person decides, on the page a save by hand shows
            say(form.dataset.stale);
          } else if (answer.status === 422) {
            say(form.dataset.unreadable);
          }
        })
        .catch(function () { /* offline or the session ended: the next change tries again */ })
        .then(function () { inflight = null; });
    }
    form.addEventListener("input", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 4000);
    });
    form.addEventListener("submit", function (event) {
      stopped = true;
      if (timer) { clearTimeout(timer); }
      if (inflight) {
        event.preventDefault();
        var button = event.submitter;
        inflight.then(function () { form.requestSubmit(button); });
      }
    });
  }

  var form = document.getElementById("draft-form");
  if (form) {
    totals(form);
    form.addEventListener("input", function () { totals(form); });
    if (form.dataset.autosave === "on") { autosave(form); }
  }

  var check = document.getElementById("check");
  if (check && check.dataset.done === "false") {
    var poll = function () {
      fetch(check.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (body) { if (body.done) { window.location.reload(); } else { setTimeout(poll, 1500); } })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }
})();
