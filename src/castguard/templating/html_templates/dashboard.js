(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.remove("nojs");
  var table = doc.getElementById("roster");
  if (!table) { return; }
  // each group (individual deals, terms of service) is its own tbody, sorted and filtered in place
  var groups = Array.prototype.slice.call(table.tBodies).map(function (body) {
    return {body: body, rows: Array.prototype.slice.call(body.querySelectorAll("tr[data-severity]"))};
  });
  var all = [];
  groups.forEach(function (g) { all = all.concat(g.rows); });
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = doc.getElementById("filter-text");
  var performer = doc.getElementById("filter-performer");
  var gap = doc.getElementById("filter-gap");
  var severity = doc.getElementById("filter-severity");
  var status = doc.getElementById("filter-status");
  var count = doc.getElementById("filter-count");
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  var sorted = "";
  all.forEach(function (r, i) { r._i = i; });
  doc.getElementById("roster-controls").hidden = false;

  function apply() {
    var t = text.value.trim().toLowerCase(), p = performer.value.trim().toLowerCase(), g = gap.value,
      v = severity.value, s = status.value, shown = 0;
    all.forEach(function (r) {
      if (r._text === undefined) {
        r._text = r.textContent.toLowerCase();
        r._performer = r.querySelector(".performer").textContent.toLowerCase();
        r._gaps = " " + r.getAttribute("data-gaps") + " ";
      }
      var ok = (!v || r.getAttribute("data-severity") === v) &&
        (!s || (s === "changed" ? r.hasAttribute("data-changed") : r.getAttribute("data-status") === s)) &&
        (!g || r._gaps.indexOf(" " + g + " ") !== -1) &&
        (!p || r._performer.indexOf(p) !== -1) &&
        (!t || r._text.indexOf(t) !== -1);
      if (r.hidden === ok) { r.hidden = !ok; }
      if (ok) { shown++; }
    });
    count.textContent = "Showing " + shown + " of " + all.length + " contracts" + sorted;
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
      groups.forEach(function (grp) {
        var keyed = grp.rows.map(function (r) { return {r: r, k: key(r, col, numeric)}; });
        keyed.sort(function (a, b) {
          if (a.k === null || b.k === null) {
            return a.k === b.k ? a.r._i - b.r._i : (a.k === null ? 1 : -1);
          }
          var c = numeric ? a.k - b.k : collator.compare(a.k, b.k);
          return c ? c * sign : a.r._i - b.r._i;
        });
        var frag = doc.createDocumentFragment();
        keyed.forEach(function (x) { frag.appendChild(x.r); });
        grp.body.appendChild(frag);
      });
      sorted = ", sorted by " + button.textContent + " (" + dir + ")";
      apply();
    });
  });

  [text, performer, gap, severity, status].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
