/* The search page: Pagefind's index of the page's language, queried as the reader types.
   Every word shown comes from the page (#search-strings, rendered from the catalogue);
   the query and the category are kept in the address (?q=…&category=…), so a search
   from the header box, a link or the back button shows the same results. */
(function () {
  "use strict";
  var PAGE = 10;
  var root = document.getElementById("search");
  if (!root) return;
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var form = root.querySelector(".search-form");
  var input = form.querySelector("input[name=q]");
  var category = form.querySelector("select[name=category]");
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var lang = document.documentElement.lang;
  var engine = null;
  var hidden = new Set();
  var found = [];
  var shown = 0;
  var generation = 0;

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* a catalogue string (HTML) with {name} filled in by escaped values */
  function fill(html, values) {
    return html.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? escape(values[name]) : whole;
    });
  }

  function countText(n) {
    var table = strings.results;
    var form = n < table.index.length ? table.index[n] : table.index[100 + (n % 100)];
    return fill(table.forms[form], { count: n.toLocaleString(lang) });
  }

  /* the language's index: its base, with the delta of recent changes merged into it, and
     the base's records the delta supersedes (a version changed or withdrawn since), which
     are left out of the results by their identifier */
  function load() {
    if (!engine) {
      var base = root.getAttribute("data-base");
      var bundles = (root.getAttribute("data-bundles") || "").split(" ").filter(Boolean);
      var hiddenUrl = root.getAttribute("data-hidden") || "";
      if (!bundles.length) return Promise.resolve(null);  /* nothing indexed yet */
      var hiddenList = hiddenUrl ? fetch(hiddenUrl).then(function (response) {
        if (!response.ok) throw new Error(hiddenUrl + ": " + response.status);
        return response.json();
      }) : Promise.resolve([]);
      engine = Promise.all([import(bundles[0] + "pagefind.js"), hiddenList]).then(function (got) {
        var pf = got[0];
        hidden = new Set(got[1]);
        return pf.options({ baseUrl: base }).then(function () {
          return Promise.all(bundles.slice(1).map(function (bundle) {
            return pf.mergeIndex(bundle, { baseUrl: base });
          }));
        }).then(function () {
          return pf;
        });
      });
    }
    return engine;
  }

  /* the results but the superseded ones, each record once (a record the base and the delta
     both hold, unchanged, is the same record) */
  function standing(results) {
    var seen = new Set();
    return results.filter(function (r) {
      if (hidden.has(r.id) || seen.has(r.id)) return false;
      seen.add(r.id);
      return true;
    });
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "search-result";
    var meta = data.meta || {};
    li.innerHTML =
      '<h2><a href="' + escape(data.url) + '">' + escape(meta.title || data.url) + "</a></h2>" +
      '<p class="meta">' + escape(meta.date || "") +
      (meta.category ? " · " + escape(meta.category) : "") + "</p>" +
      '<p class="excerpt">' + data.excerpt + "</p>";  /* Pagefind's: escaped text and <mark> */
    return li;
  }

  function showMore() {
    var mine = generation;
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = shown >= found.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (all) {
      if (mine !== generation) return;
      all.forEach(function (data) { list.appendChild(item(data)); });
    });
  }

  function remember(q, cat) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    if (cat) params.set("category", cat);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function run() {
    var q = input.value.trim();
    var cat = category ? category.value : "";
    var mine = ++generation;
    remember(q, cat);
    if (!q) {
      list.innerHTML = "";
      status.innerHTML = "";
      more.hidden = true;
      return;
    }
    load().then(function (pf) {
      var filters = cat ? { category: cat } : {};
      return pf ? pf.debouncedSearch(q, { filters: filters }, 150) : { results: [] };
    }).then(function (search) {
      if (search === null || mine !== generation) return;
      found = standing(search.results);
      shown = 0;
      list.innerHTML = "";
      return showMore().then(function () {
        // said once the results are on the page, so what is announced is what is there
        if (mine !== generation) return;
        status.innerHTML = found.length ? countText(found.length) : fill(strings.none, { query: q });
      });
    }).catch(function () {
      if (mine === generation) status.innerHTML = strings.error;
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (category) {
    category.value = params.get("category") || "";
    category.addEventListener("change", run);
  }
  input.addEventListener("input", run);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  more.addEventListener("click", showMore);
  if (input.value) run();
})();
