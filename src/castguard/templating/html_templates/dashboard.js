
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.remove("nojs");
  var table = doc.getElementById("roster");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-status]"));
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = doc.getElementById("filter-text");
  var status = doc.getElementById("filter-status");
  var severity = doc.getElementById("filter-severity");
  var count = doc.getElementById("filter-count");
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  var sorted = "";
  rows.forEach(function (r, i) { r._i = i; });
  doc.getElementById("roster-controls").hidden = false;

  function apply() {
    var t = text.value.trim().toLowerCase(), s = status.value, v = severity.value, shown = 0;
    rows.forEach(function (r) {
      if (r._text === undefined) { r._text = r.textContent.toLowerCase(); }
      var ok = (!s || r.getAttribute("data-status") === s) && (!v || r.getAttribute("data-severity") === v) &&
        (!t || r._text.indexOf(t) !== -1);
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " contracts" + sorted;
  }

  function key(r, col, numeric) {
    var cell = r.cells[col], raw = cell.getAttribute("data-v");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (raw === "") { return null; }
    return numeric ? Number(raw) : raw;
  }

  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var current = th.getAttribute("aria-sort");
      // a new column starts riskiest/largest first for numbers, A-Z for text; a second click reverses
      var dir = current ? (current === "ascending" ? "descending" : "ascending")
        : (numeric ? "descending" : "ascending");
      var sign = dir === "ascending" ? 1 : -1;
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var keyed = rows.map(function (r) { return {r: r, k: key(r, col, numeric)}; });
      keyed.sort(function (a, b) {
        if (a.k === null || b.k === null) {
          return a.k === b.k ? a.r._i - b.r._i : (a.k === null ? 1 : -1);
        }
        var c = numeric ? a.k - b.k : collator.compare(a.k, b.k);
        return c ? c * sign : a.r._i - b.r._i;
      });
      var frag = doc.createDocumentFragment();
      keyed.forEach(function (x) { frag.appendChild(x.r); });
      body.appendChild(frag);
      sorted = ", sorted by " + button.textContent + " (" + dir + ")";
      apply();
    });
  });

  [text, status, severity].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
