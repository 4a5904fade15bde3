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

  // The editor: a live preview. A second and a half after the last change, the form is sent
  // as "Preview" and the frame reloads; without this, the Preview button does the same.
  var editor = document.getElementById("editor-form");
  if (editor) {
    var frame = document.querySelector("iframe.editor-preview");
    var timer = null;
    var refresh = function () {
      var body = new URLSearchParams(new FormData(editor));
      body.set("action", "preview");
      fetch(editor.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) {
          if (r.status !== 200) { say("The preview waits until the problems are fixed: choose Preview to see them."); return; }
          if (!frame) {
            var heading = document.createElement("h2");
            heading.id = "preview";
            heading.textContent = "Preview (not saved)";
            frame = document.createElement("iframe");
            frame.className = "editor-preview";
            frame.title = "Preview of the publication";
            editor.after(heading, frame);
          }
          frame.src = editor.getAttribute("data-preview") + "?t=" + Date.now();
          say("Preview updated.");
        })
        .catch(function () { say("The preview could not be updated."); });
    };
    editor.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 1500);
    });
  }

  // Move focus to the error summary so keyboard and screen reader users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
