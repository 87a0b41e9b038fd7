/* Gazette reader script: progressive enhancement only. Every feature of the
   page works without it; this adds the share button (Web Share API, or the
   WeChat hint), the now-reading bar, the "read the rest" fold on phones,
   fresh mood counts, votes without leaving the page, "load more" in place,
   and one beacon that counts the read. No third-party code, no tracking;
   the script stores nothing (the vote token is a cookie the server sets
   when a reader votes). */
(function () {
  "use strict";
  var doc = document;

  function setupShare() {
    var button = doc.querySelector("[data-share]");
    if (!button) return;
    var status = doc.querySelector(".share-status");
    var tip = doc.querySelector(".wechat-tip");
    var input = doc.getElementById("share-url");
    var url = input ? input.value : location.href;
    var inWeChat = /MicroMessenger/i.test(navigator.userAgent);
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      if (inWeChat && tip) {
        tip.hidden = false;
        return;
      }
      if (navigator.share) {
        navigator.share({ title: button.getAttribute("data-title"), url: url }).catch(function () {});
        return;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () {
          status.textContent = button.getAttribute("data-copied");
        }, function () {
          status.textContent = button.getAttribute("data-fallback");
        });
        return;
      }
      if (input) input.select();
      status.textContent = button.getAttribute("data-fallback");
    });
    if (tip) {
      tip.addEventListener("click", function () { tip.hidden = true; });
    }
    if (inWeChat && tip) {
      doc.documentElement.classList.add("in-wechat");
    }
  }

  function setupNowReading() {
    var bar = doc.querySelector(".now-reading");
    var headline = doc.getElementById("headline");
    if (!bar || !headline || !("IntersectionObserver" in window)) return;
    new IntersectionObserver(function (entries) {
      var gone = !entries[0].isIntersecting && entries[0].boundingClientRect.top < 0;
      bar.hidden = !gone;
    }).observe(headline);
  }

  function setupFold() {
    var body = doc.querySelector("[data-fold]");
    var label = doc.getElementById("read-rest-label");
    if (!body || !label || window.innerWidth >= 700) return;
    if (body.scrollHeight < window.innerHeight * 2) return;
    body.classList.add("folded");
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "button read-rest";
    button.textContent = label.innerHTML;
    button.setAttribute("aria-controls", body.id);
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      body.classList.remove("folded");
      button.remove();
    });
    body.parentNode.insertBefore(button, body.nextSibling);
  }

  // Cached pages may show counts a few seconds old: ask for fresh ones.
  function refreshCounts() {
    var block = doc.querySelector("[data-counts]");
    if (!block || !window.fetch) return;
    fetch(block.getAttribute("data-counts"), { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.moods) showCounts(block, data.moods);
      })
      .catch(function () {});
  }

  // "Load more": fetch the next items as a fragment and append them; the
  // link stays a plain next-page link when this cannot work.
  function setupLoadMore() {
    var list = doc.getElementById("stream-items");
    if (!list || !window.fetch || !window.DOMParser) return;
    doc.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-more]") : null;
      if (!link || link.getAttribute("aria-busy") === "true") return;
      event.preventDefault();
      link.setAttribute("aria-busy", "true");
      fetch(link.getAttribute("data-more"), { credentials: "omit" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var fragment = new DOMParser().parseFromString(html, "text/html");
          Array.prototype.forEach.call(fragment.querySelectorAll("li.photo"), function (item) {
            var imported = doc.importNode(item, true);
            // The fragment is the same for every page; the article being read is left out here.
            var target = imported.querySelector("a[href]");
            if (target && target.pathname === window.location.pathname) return;
            list.appendChild(imported);
          });
          var next = fragment.querySelector("a[data-more]");
          if (next) {
            link.href = next.getAttribute("href");
            link.setAttribute("data-more", next.getAttribute("data-more"));
            link.removeAttribute("aria-busy");
          } else {
            link.parentNode.parentNode.removeChild(link.parentNode);
          }
        })
        .catch(function () {
          window.location.href = link.href;
        });
    });
  }

  function showCounts(block, moods) {
    Array.prototype.forEach.call(block.querySelectorAll("[data-mood]"), function (item) {
      var count = moods[item.getAttribute("data-mood")];
      var target = item.querySelector(".count");
      if (typeof count === "number" && target) target.textContent = String(count);
    });
  }

  // Votes in place: the form posts without leaving the page, and the
  // counts and a short message update. Without the script the form posts
  // and the reader lands on a page with the fresh counts.
  function setupVotes() {
    var form = doc.querySelector("form.mood-form");
    if (!form || !window.fetch || !window.URLSearchParams) return;
    var status = form.querySelector(".vote-status");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button) return;
      event.preventDefault();
      var body = new URLSearchParams();
      body.set("mood", button.value);
      fetch(form.action, { method: "POST", body: body, credentials: "include", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          showCounts(form, data.moods || {});
          button.setAttribute("aria-pressed", "true");
          status.textContent = form.getAttribute(data.counted ? "data-thanks" : "data-already");
        })
        .catch(function () {
          status.textContent = form.getAttribute("data-failed");
        });
    });
  }

  // Counts this read once the page is shown (not while prerendered or in a
  // tab never looked at). A beacon survives the reader leaving; nothing is
  // read from the answer.
  function countRead() {
    var article = doc.querySelector("[data-view]");
    if (!article) return;
    var url = article.getAttribute("data-view");
    var sent = false;
    function send() {
      if (sent || doc.visibilityState === "hidden") return;
      sent = true;
      doc.removeEventListener("visibilitychange", send);
      if (navigator.sendBeacon && navigator.sendBeacon(url)) return;
      if (window.fetch) {
        fetch(url, { method: "POST", credentials: "include", keepalive: true }).catch(function () {});
      }
    }
    doc.addEventListener("visibilitychange", send);
    send();
  }

  // A gallery (组图) shows one photo at a time: buttons, the arrow keys and
  // a swipe move through it, and the address names the photo shown
  // (#photo-3), so a shared link opens on it. Without the script every
  // photo is on the page, one after another, each with its number.
  function setupGallery() {
    var gallery = doc.querySelector("[data-gallery]");
    if (!gallery) return;
    var photos = gallery.querySelectorAll(".gallery-photo");
    if (photos.length < 2) return;
    var current = 0;
    var controls = doc.createElement("div");
    controls.className = "gallery-controls";
    var prev = doc.createElement("button");
    prev.type = "button";
    prev.className = "button";
    prev.textContent = gallery.getAttribute("data-prev");
    var next = doc.createElement("button");
    next.type = "button";
    next.className = "button";
    next.textContent = gallery.getAttribute("data-next");
    var counter = doc.createElement("span");
    counter.className = "gallery-counter";
    counter.setAttribute("aria-live", "polite");
    controls.appendChild(prev);
    controls.appendChild(counter);
    controls.appendChild(next);
    gallery.appendChild(controls);
    gallery.classList.add("is-viewer");

    function show(index, fromAddress) {
      current = (index + photos.length) % photos.length;
      for (var i = 0; i < photos.length; i++) photos[i].hidden = i !== current;
      counter.textContent = current + 1 + "/" + photos.length;
      prev.disabled = current === 0;
      next.disabled = current === photos.length - 1;
      if (!fromAddress && history.replaceState) history.replaceState(null, "", "#" + photos[current].id);
    }
    function fromHash() {
      for (var i = 0; i < photos.length; i++) {
        if ("#" + photos[i].id === location.hash) return i;
      }
      return 0;
    }
    prev.addEventListener("click", function () { if (current > 0) show(current - 1); });
    next.addEventListener("click", function () { if (current < photos.length - 1) show(current + 1); });
    doc.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (/INPUT|TEXTAREA|SELECT/.test(tag) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowRight" && current < photos.length - 1) show(current + 1);
      if (event.key === "ArrowLeft" && current > 0) show(current - 1);
    });
    var startX = null;
    // A drag of the photo itself would take the gesture for the browser's own.
    gallery.addEventListener("dragstart", function (event) { event.preventDefault(); });
    gallery.addEventListener("pointerdown", function (event) { startX = event.clientX; });
    gallery.addEventListener("pointerup", function (event) {
      if (startX === null) return;
      var dx = event.clientX - startX;
      startX = null;
      if (dx < -40 && current < photos.length - 1) show(current + 1);
      if (dx > 40 && current > 0) show(current - 1);
    });
    window.addEventListener("hashchange", function () { show(fromHash(), true); });
    show(fromHash(), true);
  }

  function start() {
    setupGallery();
    countRead();
    refreshCounts();
    setupVotes();
    setupLoadMore();
    setupShare();
    setupNowReading();
    setupFold();
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
