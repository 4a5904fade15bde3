// Enhancements only: every page works without this file.
// A job page asks for the job's state every second and a half, says what changed in the
// live region, and shows the result when the job has finished.
(function () {
  "use strict";
  var live = document.getElementById("live-status");
  function say(text) { if (live) { live.textContent = text; } }

  var box = document.getElementById("job");
  if (box && box.getAttribute("data-finished") === "no") {
    var id = box.getAttribute("data-job");
    var state = document.getElementById("job-state");
    var last = state ? state.textContent : "";
    var poll = function () {
      fetch("/jobs/" + encodeURIComponent(id) + "/status", { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.status !== last && state) { state.textContent = s.status; last = s.status; say("Status: " + s.status); }
          if (!s.finished) { window.setTimeout(poll, 1500); return; }
          return fetch("/jobs/" + encodeURIComponent(id)).then(function (r) { return r.text(); }).then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var fresh = doc.getElementById("job");
            box.replaceWith(fresh);
            var heading = document.getElementById("job-result");
            say((heading ? heading.textContent : "Finished") + ".");
            if (heading) { heading.focus(); }
          });
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }

  // Move focus to the error summary so keyboard and screen reader users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
