/* Gazette reader script: progressive enhancement only. Every feature of the
   page works without it; this adds the share button, the now-reading bar
   and the "read the rest" fold on small screens. No third-party code, no
   tracking, nothing stored. */
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

  function start() {
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
