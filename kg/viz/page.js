// kg viz: draws the graph held in #kg-data with vis-network. Data reaches the DOM only as text.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var root = document.documentElement;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var details = document.getElementById("kg-details");
  var status = document.getElementById("kg-status");
  var input = document.getElementById("kg-find-text");
  var network = new vis.Network(document.getElementById("kg-graph"), {}, data.options);
  window.kgView = { network: network, nodes: nodes, edges: edges };

  // labels of key nodes keep a readable size on screen when zoomed out
  var keys = data.nodes.filter(function (n) { return n.key; }).map(function (n) { return n.id; });
  var keySize = 0;
  function scaleLabels() {
    var size = Math.round(Math.max(data.labels.normal, data.labels.screen / network.getScale()));
    if (size !== keySize && keys.length) {
      keySize = size;
      nodes.update(keys.map(function (id) { return { id: id, font: { size: size } }; }));
    }
  }
  function ready() {
    scaleLabels();
    network.on("zoom", scaleLabels);
    network.on("animationFinished", scaleLabels);  // after Fit and Find
    network.once("afterDrawing", function () { root.dataset.state = "ready"; });
    network.redraw();
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }
  network.setData({ nodes: nodes, edges: edges });
  if (!data.nodes.length) {
    status.textContent = "Nothing to draw.";
    root.dataset.state = "ready";
  }

  function show(text) { details.textContent = text; }
  network.on("click", function (params) {
    if (params.nodes.length) { show(nodes.get(params.nodes[0]).title); }
    else if (params.edges.length) { show(edges.get(params.edges[0]).title); }
  });

  function names(node) {
    return [node.id, node.name, node.ko || ""].concat(node.aliases || []).map(function (s) {
      return s.toLowerCase();
    });
  }
  function find(text) {
    var query = text.trim().toLowerCase();
    if (!query) { return; }
    var all = nodes.get();
    var hit = all.find(function (n) { return names(n).indexOf(query) >= 0; }) ||
      all.find(function (n) { return names(n).some(function (s) { return s.indexOf(query) >= 0; }); });
    if (!hit) {
      status.textContent = "No node matches \u201c" + text.trim() + "\u201d.";
      return;
    }
    status.textContent = "";
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400 } });
    show(hit.title);
  }
  document.getElementById("kg-find").addEventListener("submit", function (event) {
    event.preventDefault();
    find(input.value);
  });
  input.addEventListener("change", function () { find(input.value); });
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 400 } });
  });
})();
