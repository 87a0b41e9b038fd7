// Photo uploads in the back office, with a progress bar each: on the media
// library's page (many files, two at a time, each in its own request, so
// one refused file does not hold up the others) and on the article form
// (one photo, then into the body at the cursor or as the cover). Without
// this script the library's form posts every file at once and the page
// reloads; the article form names its cover by the photo's number.
"use strict";
(function () {
  const english = document.documentElement.lang.startsWith("en");
  const words = english
    ? { done: "done", failed: "not uploaded", waiting: "waiting", busy: "the server is busy; try again" }
    : { done: "完成", failed: "未上传", waiting: "等待中", busy: "服务器繁忙，请稍后再试" };

  // Posts one file; resolves with the server's answer (JSON) and whether it was taken.
  function upload(file, token, details, bar) {
    return new Promise(function (resolve) {
      const data = new FormData();
      data.append("form_token", token);
      data.append("file", file, file.name);
      for (const [name, value] of Object.entries(details)) data.append(name, value);
      const request = new XMLHttpRequest();
      request.open("POST", "/admin/media/upload");
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) bar.value = event.loaded / event.total;
      });
      request.addEventListener("load", function () {
        let answer = {};
        try { answer = JSON.parse(request.responseText); } catch (e) { answer = {}; }
        if (request.status === 200) {
          bar.value = 1;
          resolve({ ok: true, answer: answer });
        } else {
          const why = answer.error || (request.status === 503 ? words.busy : String(request.status));
          resolve({ ok: false, error: why });
        }
      });
      request.addEventListener("error", function () { resolve({ ok: false, error: words.failed }); });
      request.send(data);
    });
  }

  // The library: every chosen file, two at a time.
  const form = document.querySelector("form[data-upload]");
  if (form && window.FormData && window.XMLHttpRequest) {
    const list = form.querySelector("[data-progress]");
    const input = form.querySelector("input[type=file]");
    form.addEventListener("submit", function (event) {
      if (!input.files || input.files.length === 0) return;
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      list.textContent = "";
      const details = {};
      for (const name of ["caption", "alt", "credit", "licence"]) details[name] = form.elements[name].value;
      const queue = Array.from(input.files).map(function (file) {
        const item = document.createElement("li");
        const name = document.createElement("span");
        name.textContent = file.name + " ";
        const status = document.createElement("span");
        status.textContent = words.waiting;
        const bar = document.createElement("progress");
        bar.max = 1;
        bar.value = 0;
        bar.setAttribute("aria-label", file.name);
        item.append(name, status, bar);
        list.append(item);
        return { file: file, bar: bar, status: status };
      });
      let failures = 0;
      function worker() {
        const next = queue.shift();
        if (!next) return Promise.resolve();
        return upload(next.file, form.elements.form_token.value, details, next.bar).then(function (result) {
          next.status.textContent = result.ok ? words.done : words.failed + ": " + result.error;
          if (!result.ok) failures += 1;
          return worker();
        });
      }
      Promise.all([worker(), worker()]).then(function () {
        button.disabled = false;
        if (failures === 0) window.location.assign("/admin/media?done=uploaded");
      });
    });
  }

  // The article form: one photo into the body or as the cover.
  const panel = document.querySelector("[data-photo-upload]");
  const article = document.getElementById("article-form");
  if (panel && article && window.FormData && window.XMLHttpRequest) {
    panel.hidden = false;
    const input = panel.querySelector("input[type=file]");
    const bar = panel.querySelector("progress");
    const status = panel.querySelector("[data-photo-status]");
    function go(place) {
      const file = input.files && input.files[0];
      if (!file) {
        status.textContent = status.getAttribute("data-choose");
        return;
      }
      bar.hidden = false;
      bar.value = 0;
      status.textContent = "";
      upload(file, article.elements.form_token.value, {}, bar).then(function (result) {
        if (!result.ok) {
          status.textContent = status.getAttribute("data-failed") + result.error;
          return;
        }
        const photo = result.answer.photos[0];
        place(photo);
        input.value = "";
        status.textContent = status.getAttribute("data-done");
        article.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
    panel.querySelector("[data-insert-body]").addEventListener("click", function () {
      go(function (photo) {
        const editor = window.gazetteEditor && window.gazetteEditor.editor;
        if (editor && editor.view) {
          const view = editor.view;
          const node = view.state.schema.nodes.figure.create({
            src: photo.src, alt: photo.alt, width: String(photo.width), height: String(photo.height), caption: photo.caption,
          });
          view.dispatch(view.state.tr.replaceSelectionWith(node).scrollIntoView());
        } else {
          // Without the editor the body is a field of body HTML.
          const body = article.elements.body;
          const alt = photo.alt.replace(/[&<>"]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
          body.value += '\n<figure><img src="' + photo.src + '" alt="' + alt + '" width="' + photo.width +
            '" height="' + photo.height + '"></figure>';
        }
      });
    });
    panel.querySelector("[data-set-cover]").addEventListener("click", function () {
      go(function (photo) {
        article.elements.cover_media_id.value = String(photo.id);
        if (!article.elements.cover_alt.value) article.elements.cover_alt.value = photo.alt;
        if (!article.elements.cover_credit.value) article.elements.cover_credit.value = photo.credit;
      });
    });
  }
})();
