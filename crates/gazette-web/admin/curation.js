// The slot editor without round trips: entries are dragged into place, and
// the up, down and remove buttons act at once (they stay buttons, so the
// keyboard does the same). Nothing is saved until "save": the form sends
// the entries in the order they stand. Without this script every button
// posts the form and the page comes back with the change made.
"use strict";
(function () {
  const form = document.querySelector("form[data-slot-editor]");
  const list = form && form.querySelector("[data-entries]");
  if (!list) return;
  const status = form.querySelector("[data-order-status]");
  const english = document.documentElement.lang.startsWith("en");
  function say(entry) {
    const title = entry.querySelector(".slot-title strong").textContent;
    const position = Array.from(list.children).indexOf(entry) + 1;
    status.textContent = english ? `${title}: now ${position} of ${list.children.length}`
      : `${title}：现在是第 ${position} 条，共 ${list.children.length} 条`;
  }
  list.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-move]");
    if (!button) return;
    event.preventDefault();
    const entry = button.closest("[data-entry]");
    const move = button.getAttribute("data-move");
    if (move === "up" && entry.previousElementSibling) {
      list.insertBefore(entry, entry.previousElementSibling);
    } else if (move === "down" && entry.nextElementSibling) {
      list.insertBefore(entry.nextElementSibling, entry);
    } else if (move === "remove") {
      const title = entry.querySelector(".slot-title strong").textContent;
      const next = entry.nextElementSibling || entry.previousElementSibling;
      entry.remove();
      status.textContent = english ? `${title}: removed (not saved yet)` : `已移除：${title}（尚未保存）`;
      if (next) next.querySelector("button[data-move]").focus();
      return;
    }
    button.focus();
    say(entry);
  });
  let dragged = null;
  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("[data-entry]");
    if (dragged) event.dataTransfer.effectAllowed = "move";
  });
  list.addEventListener("dragover", function (event) {
    const over = event.target.closest("[data-entry]");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  list.addEventListener("drop", function (event) {
    event.preventDefault();
  });
  list.addEventListener("dragend", function () {
    if (dragged) say(dragged);
    dragged = null;
  });
})();
