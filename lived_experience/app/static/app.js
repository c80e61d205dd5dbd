// lived_experience review page: add a missed identifier by selecting it, keyboard shortcuts.
// Offsets are counted in Unicode code points, as Python counts them.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var pending = null;

  function codePoints(s) { return Array.from(s).length; }

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function selectionInAnswer() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var answer = start && start.closest("[data-answer]");
    if (!answer || !answer.contains(range.endContainer)) return null;
    var a = offsetIn(answer, range.startContainer, range.startOffset);
    var b = offsetIn(answer, range.endContainer, range.endOffset);
    if (b <= a) return null;
    var cell = answer.closest("article");
    return { cell: cell, start: a, end: b, text: range.toString() };
  }

  function showBar(found) {
    var bar = document.getElementById("add-bar");
    if (!bar) return;
    pending = found;
    document.getElementById("add-what").textContent =
      "Add \u201c" + found.text.slice(0, 60) + "\u201d as";
    bar.hidden = false;
  }

  function hideBar() {
    var bar = document.getElementById("add-bar");
    if (bar) bar.hidden = true;
    pending = null;
  }

  function replaceCell(cell, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("article");
    var progress = holder.querySelector("#review-progress");
    if (fresh) {
      cell.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
      fresh.focus();
    }
    var current = document.getElementById("review-progress");
    if (progress && current) current.textContent = progress.textContent;
  }

  document.addEventListener("mouseup", function () {
    var found = selectionInAnswer();
    if (found) showBar(found);
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey && event.key.indexOf("Arrow") === 0) {
      var found = selectionInAnswer();
      if (found) showBar(found);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "add-bar") return;
    event.preventDefault();
    if (!pending) return;
    var bar = event.target;
    var body = new URLSearchParams();
    body.set("record_id", pending.cell.getAttribute("data-record"));
    body.set("field", pending.cell.getAttribute("data-field"));
    body.set("start", String(pending.start));
    body.set("end", String(pending.end));
    body.set("entity_type", document.getElementById("add-type").value);
    var cell = pending.cell;
    fetch(bar.getAttribute("data-action"), {
      method: "POST",
      headers: { "X-CSRF-Token": csrf },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (html) {
        if (response.ok) { replaceCell(cell, html); }
        else { window.alert("The identifier was not added. Reload the page and try again."); }
      });
    });
    hideBar();
    window.getSelection().removeAllRanges();
  });

  document.addEventListener("click", function (event) {
    if (event.target.id === "add-cancel") hideBar();
  });

  // Keyboard shortcuts (not while typing in a field).
  function cells() { return Array.prototype.slice.call(document.querySelectorAll("article.cell")); }
  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("article.cell") : null;
  }
  function move(step) {
    var list = cells();
    if (!list.length) return;
    var index = list.indexOf(current());
    var next = list[Math.max(0, Math.min(list.length - 1, index < 0 ? 0 : index + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    var cell = current();
    if (!cell) return;
    var item = cell.querySelector("li.undecided button[data-shortcut='" + key + "']") ||
      cell.querySelector("button[data-shortcut='" + key + "']");
    if (item && !item.disabled) item.click();
  }
  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (event.key === "a" || event.key === "r" || event.key === "c") { press(event.key); event.preventDefault(); }
    else if (event.key === "/") {
      var filter = document.getElementById("f-type");
      if (filter) { filter.focus(); event.preventDefault(); }
    }
  });
  // After htmx swaps a cell, keep the keyboard on it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.closest) {
      var cell = document.getElementById(target.id);
      if (cell && cell.matches("article.cell")) cell.focus();
    }
  });
})();
