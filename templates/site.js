// Progressive enhancement only: every page works without it (the index is sorted best first by the
// build, and the compare page shows every provider). Loads nothing, stores nothing.
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // --- Index: sort by grade, score or name; filter by practice ---------------------------------
  var table = document.querySelector("[data-overview]");
  var controls = document.querySelector("[data-controls]");
  if (table && controls) {
    controls.hidden = false;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = controls.querySelector("[data-count]");
    var state = { key: "grade", dir: 1 };  // dir 1: the natural order (best first, A to Z)
    var byName = function (a, b) { return a.dataset.name.localeCompare(b.dataset.name); };
    var orders = {
      name: byName,
      grade: function (a, b) {
        return Number(a.dataset.grade) - Number(b.dataset.grade) || Number(b.dataset.score) - Number(a.dataset.score) || byName(a, b);
      },
      score: function (a, b) { return Number(b.dataset.score) - Number(a.dataset.score) || byName(a, b); }
    };
    var headers = table.querySelectorAll("th[data-sort]");
    each(headers, function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.innerHTML = "<span></span><span class=\"arrow\" aria-hidden=\"true\"></span>";
      button.firstChild.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var key = th.dataset.sort;
        state.dir = state.key === key ? -state.dir : 1;
        state.key = key;
        apply();
      });
    });
    var caption = table.querySelector("caption");
    var apply = function () {
      var order = orders[state.key];
      rows.sort(function (a, b) { return state.dir * order(a, b); });
      var wanted = [];
      var query = find ? find.value.trim().toLowerCase() : "";
      each(controls.querySelectorAll("input[data-filter]:checked"), function (box) {
        wanted.push(["data-p-" + box.dataset.filter.replace(/_/g, "-"), box.value]);
      });
      var shown = 0;
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) {
        var ok = wanted.every(function (w) { return row.getAttribute(w[0]) === w[1]; }) &&
          (!query || row.dataset.name.toLowerCase().indexOf(query) >= 0);
        row.hidden = !ok;
        if (ok) { shown += 1; }
        fragment.appendChild(row);
      });
      body.appendChild(fragment);
      each(headers, function (th) {
        var active = th.dataset.sort === state.key;
        var natural = th.dataset.sort === "name" ? "ascending" : "descending";
        var other = natural === "ascending" ? "descending" : "ascending";
        if (active) { th.setAttribute("aria-sort", state.dir === 1 ? natural : other); } else { th.removeAttribute("aria-sort"); }
        th.querySelector(".arrow").textContent = active ? (th.getAttribute("aria-sort") === "ascending" ? "▲" : "▼") : "";
      });
      var label = { name: "by name", grade: "by grade", score: "by score" }[state.key];
      var reversed = state.dir === 1 ? "" : ", reversed";
      caption.textContent = shown + " of " + rows.length + " providers, sorted " + label + reversed;
      count.textContent = wanted.length || query ? shown + " of " + rows.length + " providers match" : "";
    };
    var find = controls.querySelector("[data-find]");
    controls.addEventListener("change", apply);
    if (find) { find.addEventListener("input", apply); }
    apply();
  }

  // --- Compare: two to four providers, chosen in the page or by ?p=slug&p=slug ---------------
  var picker = document.querySelector("[data-compare-picker]");
  var compare = document.querySelector("[data-compare]");
  if (picker && compare) {
    var selects = picker.querySelectorAll("select[data-pick]");
    var wantedSlugs = new URLSearchParams(window.location.search).getAll("p").filter(function (slug) {
      return compare.querySelector("th[data-slug=\"" + slug.replace(/[^a-z0-9-]/g, "") + "\"]");
    }).slice(0, 4);
    if (wantedSlugs.length === 1) {  // "compare with another": add the best other provider
      var other = Array.prototype.filter.call(selects[0].options, function (o) { return o.value && o.value !== wantedSlugs[0]; })[0];
      if (other) { wantedSlugs.push(other.value); }
    }
    if (wantedSlugs.length) {
      each(selects, function (select, i) { select.value = wantedSlugs[i] || (i >= 2 ? "" : select.value); });
    }
    picker.hidden = false;
    each(document.querySelectorAll("[data-no-js]"), function (el) { el.hidden = true; });
    var show = function () {
      var chosen = [];
      each(selects, function (s) { if (s.value && chosen.indexOf(s.value) < 0) { chosen.push(s.value); } });
      var cells = compare.querySelectorAll("[data-slug]");
      each(cells, function (cell) { cell.hidden = chosen.indexOf(cell.dataset.slug) < 0; });
      // Columns in the order chosen.
      each(compare.rows, function (tr) {
        chosen.forEach(function (slug) {
          var cell = tr.querySelector("[data-slug=\"" + slug + "\"]");
          if (cell) { tr.appendChild(cell); }
        });
      });
      compare.querySelector("caption").textContent = "Side by side: " + chosen.map(function (slug) {
        return compare.querySelector("th[data-slug=\"" + slug + "\"] a").textContent;
      }).join(", ");
      try {
        var query = "?" + chosen.map(function (slug) { return "p=" + encodeURIComponent(slug); }).join("&");
        window.history.replaceState(null, "", query);
      } catch (e) { /* file:// may refuse; the page works the same */ }
    };
    picker.addEventListener("change", show);
    show();
  }
})();
