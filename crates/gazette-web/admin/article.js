// The article form's autosave: while the form has unsaved changes, it is
// posted in the background every 20 seconds as an autosave revision. The
// answer's revision becomes the form's base, so the next save builds on it;
// a conflict (someone else saved) stops autosaving and says so, and the
// form's own save button then shows both versions. Without this script the
// form works the same, saved by hand.
(function () {
  var form = document.getElementById("article-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !form.action.match(/\/admin\/articles\/\d+$/)) return;
  // The member who may sign off saves their edits with the sign-off: an
  // autosave would be an edit that sends the article back to level one.
  if (form.getAttribute("data-autosave") === "off") return;
  var every = Number(form.getAttribute("data-autosave-ms")) || 20000;
  var dirty = false;
  var busy = false;
  var stopped = false;
  form.addEventListener("input", function () { dirty = true; });
  var submitWaiting = false;
  // A save by hand waits for an autosave under way, so that it builds on
  // that revision rather than conflicting with it.
  form.addEventListener("submit", function (event) {
    stopped = true;
    if (busy) {
      event.preventDefault();
      submitWaiting = true;
    }
  });
  function say(key) { status.textContent = status.getAttribute("data-" + key) || ""; }
  function save() {
    if (!dirty || busy || stopped) return;
    busy = true;
    dirty = false;
    // The editor brings the body field up to date first.
    form.dispatchEvent(new Event("gazette:before-autosave"));
    var data = new URLSearchParams(new FormData(form));
    data.set("kind", "autosave");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (answer) {
      if (answer.status === 200 && answer.body.revision) {
        // Every form on the page (the review buttons too) now builds on it.
        document.querySelectorAll("input[name=base]").forEach(function (input) {
          input.value = String(answer.body.revision);
        });
        say("saved");
      } else if (answer.status === 409) {
        stopped = true;
        say("conflict");
      } else {
        dirty = true;
        say("failed");
      }
    }).catch(function () {
      dirty = true;
      say("failed");
    }).then(function () {
      busy = false;
      if (submitWaiting) form.submit();
    });
  }
  setInterval(save, every);
})();
