// Progressive enhancement only: every page works without it (the index is sorted best first by the
// build, and the compare page links to the list of providers). Loads only files of the site, stores nothing.
(function () {
  "use strict";
  var providerList = window.scorecardProviders;  // [slug, name, grade, score], best first: compare page only

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
    var markHeaders = function () {
      each(headers, function (th) {
        var active = th.dataset.sort === state.key;
        var natural = th.dataset.sort === "name" ? "ascending" : "descending";
        var other = natural === "ascending" ? "descending" : "ascending";
        if (active) { th.setAttribute("aria-sort", state.dir === 1 ? natural : other); } else { th.removeAttribute("aria-sort"); }
        th.querySelector(".arrow").textContent = active ? (th.getAttribute("aria-sort") === "ascending" ? "▲" : "▼") : "";
      });
    };
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
      markHeaders();
      var label = { name: "by name", grade: "by grade", score: "by score" }[state.key];
      var reversed = state.dir === 1 ? "" : ", reversed";
      caption.textContent = shown + " of " + rows.length + " providers, sorted " + label + reversed;
      count.textContent = wanted.length || query ? shown + " of " + rows.length + " providers match" : "";
    };
    var find = controls.querySelector("[data-find]");
    controls.addEventListener("change", apply);
    if (find) { find.addEventListener("input", apply); }
    // The build wrote the rows best grade first, the order of state above: unless the browser restored a filter
    // or a search (back button), sorting and moving every row now would only lay the table out a second time.
    if ((find && find.value.trim()) || controls.querySelector("input[data-filter]:checked")) { apply(); } else { markHeaders(); }
  }

  // --- Compare: two to four providers, chosen in the page or by ?p=slug&p=slug ---------------
  // The pickers list every provider (data/compare/_providers.js, loaded by the page); a chosen provider's
  // column comes from data/compare/<slug>.js, added with a <script> element (works from file:// too).
  var picker = document.querySelector("[data-compare-picker]");
  var compare = document.querySelector("[data-compare]");
  if (picker && compare && providerList) {
    var selects = picker.querySelectorAll("select[data-pick]");
    var names = {};
    var labels = {};
    providerList.forEach(function (p) {
      names[p[0]] = p[1];
      labels[p[0]] = p[1] + " (" + p[2] + ", " + p[3] + ")";
    });
    // A picker holds its chosen provider until the reader turns to it; then every provider. Four lists of
    // 20,000 options would be most of the page's work before any table shows.
    var filled = [];
    var fill = function (select) {
      var i = Array.prototype.indexOf.call(selects, select);
      if (i < 0 || filled[i]) { return; }
      filled[i] = true;
      var value = select.value;
      var options = document.createDocumentFragment();
      providerList.forEach(function (p) { if (p[0] !== value) { options.appendChild(new Option(labels[p[0]], p[0])); } });
      select.appendChild(options);
      select.value = value;
    };
    ["focusin", "pointerdown", "keydown"].forEach(function (type) {
      picker.addEventListener(type, function (event) { fill(event.target); }, true);
    });
    var wantedSlugs = new URLSearchParams(window.location.search).getAll("p").filter(function (slug) {
      return Object.prototype.hasOwnProperty.call(names, slug);
    }).slice(0, 4);
    if (wantedSlugs.length === 0) {  // the two best, as the page lists them
      wantedSlugs = providerList.slice(0, 2).map(function (p) { return p[0]; });
    }
    if (wantedSlugs.length === 1) {  // "compare with another": add the best other provider
      var other = providerList.filter(function (p) { return p[0] !== wantedSlugs[0]; })[0];
      if (other) { wantedSlugs.push(other[0]); }
    }
    each(selects, function (select, i) {
      if (wantedSlugs[i]) { select.appendChild(new Option(labels[wantedSlugs[i]], wantedSlugs[i])); }
      select.value = wantedSlugs[i] || "";
    });
    picker.hidden = false;
    document.querySelector("[data-compare-wrap]").hidden = false;
    each(document.querySelectorAll("[data-no-js]"), function (el) { el.hidden = true; });
    var status = document.querySelector("[data-compare-status]");
    var columns = {};  // slug -> {head, cells}: what its script brought
    var asked = {};
    var base = picker.dataset.base;
    var load = function (slug) {
      if (columns[slug] || asked[slug]) { return; }
      asked[slug] = true;
      var script = document.createElement("script");
      script.src = base + encodeURIComponent(slug) + ".js";
      script.onerror = function () { status.textContent = "Could not load " + names[slug] + "."; };
      document.head.appendChild(script);
    };
    var html = function (markup) {
      var template = document.createElement("template");
      template.innerHTML = markup;  // rendered and escaped by the build, like every page
      return template.content.firstElementChild;
    };
    var show = function () {
      var chosen = [];
      each(selects, function (s) { if (s.value && chosen.indexOf(s.value) < 0) { chosen.push(s.value); } });
      chosen.forEach(load);
      var ready = chosen.filter(function (slug) { return columns[slug]; });
      each(compare.querySelectorAll("[data-slug]"), function (cell) { cell.remove(); });
      ready.forEach(function (slug) {
        compare.tHead.rows[0].appendChild(html(columns[slug].head));
        each(compare.tBodies[0].rows, function (tr, i) { tr.appendChild(html(columns[slug].cells[i])); });
      });
      compare.querySelector("caption").textContent = "Side by side: " + ready.map(function (slug) {
        return names[slug];
      }).join(", ");
      status.textContent = ready.length < chosen.length ? "Loading…" : "";
      try {
        var query = "?" + chosen.map(function (slug) { return "p=" + encodeURIComponent(slug); }).join("&");
        window.history.replaceState(null, "", query);
      } catch (e) { /* file:// may refuse; the page works the same */ }
    };
    window.scorecardCompare = function (column) {
      if (column && Object.prototype.hasOwnProperty.call(names, column.slug)) {
        columns[column.slug] = column;
        show();
      }
    };
    picker.addEventListener("change", show);
    show();
  }
})();
