// The kg serve page: YASGUI on this server's /sparql, the project's example and saved queries in
// a menu, and nothing fetched from anywhere but this origin.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("kg-config").textContent);
  const endpoint = new URL("sparql", location.href).href;
  const Yasqe = Yasgui.Yasqe;
  const statusLine = document.getElementById("status");

  // Completions come from this server only. Prefixes: the project's first, then YASQE's bundled
  // list (never prefix.cc). Classes and properties: those the graph uses, asked of this
  // endpoint once (YASQE's own completers ask a web service, Linked Open Vocabularies).
  const ours = Object.entries(config.prefixes).map(([p, ns]) => p + ": <" + ns + ">");
  const bundled = Yasqe.Autocompleters.prefixes.get;
  Yasqe.forkAutocompleter("prefixes", {
    name: "kgPrefixes",
    persistenceId: null,
    get: (yasqe) => bundled(yasqe).then((list) => ours.concat(list.filter((p) => !ours.includes(p)))),
  }, false);

  let terms = null;
  function vocabulary() {
    if (terms === null) {
      terms = fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json" },
        body: new URLSearchParams({ query: config.terms }),
      }).then((response) => {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then((data) => {
        const found = { class: [], property: [] };
        for (const row of data.results.bindings) { found[row.kind.value].push(row.term.value); }
        return found;
      }).catch(() => {
        terms = null;  // ask again next time
        return { class: [], property: [] };
      });
    }
    return terms;
  }
  function local(iri) { return iri.slice(Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/")) + 1); }
  for (const kind of ["class", "property"]) {
    Yasqe.forkAutocompleter(kind, {
      name: kind === "class" ? "kgClass" : "kgProperty",
      get: (_yasqe, token) => vocabulary().then((found) => {
        const typed = (token.autocompletionString || "").toLowerCase();
        return found[kind].filter((iri) => iri.toLowerCase().startsWith(typed)
          || local(iri).toLowerCase().startsWith(typed)).slice(0, 50);
      }),
    }, false);
  }
  Yasqe.defaults.autocompleters = ["kgPrefixes", "variables", "kgClass", "kgProperty"];
  Yasqe.defaults.prefixCcApi = null;

  function say(text, warn) {
    statusLine.textContent = text;
    statusLine.className = warn ? "warn" : "";
  }

  function watch(tab) {
    const yasqe = tab.getYasqe();
    if (!yasqe || yasqe.kgWatched) { return; }
    yasqe.kgWatched = true;
    yasqe.on("queryResponse", (_yasqe, response, ms) => {
      if (!response || !response.headers) {
        say("the query failed", true);
        return;
      }
      const cap = response.headers.get("Kg-Row-Cap");
      if (cap) {
        say("row cap " + cap.split(";")[0] + " reached: results cut (" + ms + " ms)", true);
      } else {
        say("HTTP " + response.status + " in " + ms + " ms");
      }
    });
  }

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST",
                     acceptHeaderGraph: "text/turtle,*/*;q=0.9" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    copyEndpointOnNewTab: true,
    // a shared link brings its query, never another endpoint or extra headers
    populateFromUrl: (tab) => {
      tab.requestConfig.endpoint = endpoint;
      tab.requestConfig.headers = {};
      return tab;
    },
    persistenceId: "kg-serve-" + config.digest,
    yasqe: { value: config.start, collapsePrefixesOnLoad: true },
  });
  yasgui.on("query", (_yasgui, tab) => { say("running…"); watch(tab); });

  const menu = document.getElementById("examples");
  const byName = {};
  for (const group of config.groups) {
    const optgroup = document.createElement("optgroup");
    optgroup.label = group.label;
    for (const q of group.queries) {
      const option = document.createElement("option");
      option.value = q.name;
      option.textContent = q.title;
      option.title = q.description;
      optgroup.append(option);
      byName[q.name] = q;
    }
    menu.append(optgroup);
  }
  menu.addEventListener("change", () => {
    const q = byName[menu.value];
    menu.value = "";
    if (!q) { return; }
    yasgui.addTab(true, { name: q.title, yasqe: { value: q.query },
                          requestConfig: { endpoint: endpoint } },
                  { avoidDuplicateTabs: true });
  });

  window.kgYasgui = yasgui;
  performance.mark("kg-ready");
  document.body.dataset.ready = "1";
})();
