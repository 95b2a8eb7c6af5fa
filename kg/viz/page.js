// kg viz: pan, zoom, labels, filters, search, details and downloads for the SVG drawn in
// Python. Data reaches the DOM only as text (textContent), never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var root = document.documentElement;
  var svg = document.getElementById("kg-svg");
  var holder = document.getElementById("kg-graph");
  var tip = document.getElementById("kg-tip");
  var details = document.getElementById("kg-details");
  var status = document.getElementById("kg-status");
  var visible = document.getElementById("kg-visible");
  var input = document.getElementById("kg-find-text");
  var graphKind = data.kind === "graph";
  var home = { x: data.box[0], y: data.box[1], w: data.box[2], h: data.box[3] };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };
  var texts = {};
  var byId = {};
  data.nodes.forEach(function (n) { texts[n.id] = n.tip; byId[n.id] = n; });
  data.edges.forEach(function (e) { texts[e.id] = e.tip; });
  var nodeEls = Array.prototype.slice.call(svg.querySelectorAll(".n"));
  var edgeEls = Array.prototype.slice.call(svg.querySelectorAll(".e"));
  var labelEls = Array.prototype.slice.call(svg.querySelectorAll("g.l")).sort(function (a, b) {
    return a.dataset.p - b.dataset.p;
  });
  var classOff = {};
  var sourceOff = {};
  var shown = {};

  // ------------------------------------------------------------------ canvas (big graphs)
  // nodes and links are drawn on a canvas under the SVG (which keeps areas and labels): one
  // path per class of node and one for all links, rebuilt when the filters change
  var big = data.canvas === true;
  var canvas = null, pen = null, nodeOn = [], edgeOn = [], linkPath = null, arrowPath = null;
  var markPaths = {}, cells = {}, CELL = 20, queued = false;
  var indexOf = {};
  data.nodes.forEach(function (n, i) { indexOf[n.id] = i; });
  if (big) {
    canvas = document.createElement("canvas");
    canvas.id = "kg-canvas";
    canvas.style.position = "absolute";
    canvas.style.pointerEvents = "none";
    holder.insertBefore(canvas, svg);
    svg.style.position = "relative";
    pen = canvas.getContext("2d");
    data.nodes.forEach(function (n, i) {
      var key = Math.floor(n.x / CELL) + "," + Math.floor(n.y / CELL);
      (cells[key] = cells[key] || []).push(i);
    });
  }
  // the arrow head of a link: a triangle at its end, along its last segment
  function arrow(d) {
    if (d.indexOf("c") >= 0) { return ""; }
    var v = d.match(/-?[\d.]+/g).map(Number), k = v.length;
    var x = v[k - 2], y = v[k - 1], dx = x - v[k - 4], dy = y - v[k - 3];
    var l = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / l * 5, uy = dy / l * 5;
    return "M" + (x + ux) + "," + (y + uy) + "L" + (x - uy * 0.7) + "," + (y + ux * 0.7) + "L" +
      (x + uy * 0.7) + "," + (y - ux * 0.7) + "Z";
  }
  function rebuild() {
    var links = [], heads = [], marks = {};
    data.edges.forEach(function (e, i) {
      if (!edgeOn[i]) { return; }
      links.push(e.d);
      if (data.directed) { heads.push(arrow(e.d)); }
    });
    data.nodes.forEach(function (n, i) {
      if (nodeOn[i]) { (marks[n.group] = marks[n.group] || []).push(n.d); }
    });
    linkPath = new Path2D(links.join(""));
    arrowPath = new Path2D(heads.join(""));
    markPaths = {};
    Object.keys(marks).forEach(function (g) { markPaths[g] = new Path2D(marks[g].join("")); });
  }
  function paint() {
    queued = false;
    var box = svg.getBoundingClientRect(), outer = holder.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    var w = Math.round(box.width * ratio), h = Math.round(box.height * ratio);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    canvas.style.left = (box.left - outer.left) + "px";
    canvas.style.top = (box.top - outer.top) + "px";
    canvas.style.width = box.width + "px";
    canvas.style.height = box.height + "px";
    pen.setTransform(1, 0, 0, 1, 0, 0);
    pen.clearRect(0, 0, w, h);
    var m = svg.getScreenCTM();
    pen.setTransform(ratio * m.a, ratio * m.b, ratio * m.c, ratio * m.d,
      ratio * (m.e - box.left), ratio * (m.f - box.top));
    // links and outlines one device pixel wide: thin strokes take the rasteriser's fast path
    var hair = 1 / (ratio * Math.sqrt(m.a * m.a + m.b * m.b));
    pen.lineWidth = hair;
    pen.strokeStyle = "rgba(140, 149, 159, 0.7)";
    pen.stroke(linkPath);
    pen.fillStyle = "#8c959f";
    pen.fill(arrowPath);
    pen.strokeStyle = "#3b3b3b";
    Object.keys(markPaths).forEach(function (g) {
      pen.fillStyle = data.colours[g] || "#bab0ac";
      pen.fill(markPaths[g]);
      pen.stroke(markPaths[g]);
    });
    var at = indexOf[kg.selected];
    if (at !== undefined && nodeOn[at]) {
      var picked = [];
      data.edges.forEach(function (e, i) {
        if (edgeOn[i] && (e.from === kg.selected || e.to === kg.selected)) { picked.push(e.d); }
      });
      pen.strokeStyle = "#1f2328";
      pen.stroke(new Path2D(picked.join("")));
      pen.lineWidth = 2.5 * hair;
      pen.strokeStyle = "#000";
      pen.stroke(new Path2D(data.nodes[at].d));
    }
  }
  function repaint() {
    if (big && !queued) { queued = true; requestAnimationFrame(paint); }
  }
  // the visible node under a point of the canvas (within its disc and 2 screen pixels)
  function nodeAt(x, y) {
    var best = null, bestD = Infinity, slack = 2 / zoom();
    var cx = Math.floor(x / CELL), cy = Math.floor(y / CELL);
    for (var i = cx - 1; i <= cx + 1; i++) {
      for (var j = cy - 1; j <= cy + 1; j++) {
        (cells[i + "," + j] || []).forEach(function (k) {
          var n = data.nodes[k], d = Math.sqrt((n.x - x) * (n.x - x) + (n.y - y) * (n.y - y));
          if (nodeOn[k] && d <= n.r + slack && d < bestD) { best = n; bestD = d; }
        });
      }
    }
    return best;
  }

  function zoom() { return home.w / view.w; }
  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    labels();
    repaint();
  }

  // ------------------------------------------------------------------ labels
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function labels() {
    var z = zoom();
    labelEls.forEach(function (g) {
      var level = +g.dataset.z;
      var on = shown[g.dataset.id] !== false && level > 0 && (!graphKind || level <= z * 1.0001);
      g.style.display = on ? "" : "none";
      if (on && graphKind) {
        g.setAttribute("transform", "translate(" + g.dataset.x + "," + g.dataset.y + ") scale(" +
          (1 / z) + ")");
      }
    });
    guard(z);
  }
  // the estimate of text widths is generous; a label the browser still draws over a more
  // important one is hidden until the next zoom
  function guard(z) {
    var frame = holder.getBoundingClientRect();
    var kept = [];
    labelEls.forEach(function (g) {
      if (g.style.display === "none") { return; }
      var r = g.getBoundingClientRect();
      if (r.right < frame.left || r.left > frame.right || r.bottom < frame.top ||
          r.top > frame.bottom) { return; }
      if (kept.some(function (k) { return overlaps(k, r); })) {
        g.style.display = "none";
        if (z === 1) { g.dataset.bumped = "1"; }
      } else {
        kept.push(r);
      }
    });
  }

  // ------------------------------------------------------------------ pan and zoom
  function zoomAt(factor, cx, cy) {
    var z = zoom() * factor;
    if (z < 0.5 || z > 64) { return; }
    view.x = cx - (cx - view.x) / factor;
    view.y = cy - (cy - view.y) / factor;
    view.w /= factor;
    view.h /= factor;
    apply();
  }
  function toCanvas(clientX, clientY) {
    var m = svg.getScreenCTM().inverse();
    var p = new DOMPoint(clientX, clientY).matrixTransform(m);
    return [p.x, p.y];
  }
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = toCanvas(event.clientX, event.clientY);
    zoomAt(event.deltaY < 0 ? 1.25 : 0.8, p[0], p[1]);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    drag = { start: toCanvas(event.clientX, event.clientY), moved: false };
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var p = toCanvas(event.clientX, event.clientY);
    var dx = p[0] - drag.start[0], dy = p[1] - drag.start[1];
    if (Math.abs(dx) + Math.abs(dy) > 0.5) {
      drag.moved = true;
      svg.classList.add("kg-dragging");
      view.x -= dx;
      view.y -= dy;
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
      repaint();
    }
  });
  window.addEventListener("pointerup", function () {
    if (drag && drag.moved) { labels(); }
    svg.classList.remove("kg-dragging");
    drag = null;
  });
  function fit() {
    view = { x: home.x, y: home.y, w: home.w, h: home.h };
    apply();
  }
  document.getElementById("kg-fit").addEventListener("click", fit);

  // ------------------------------------------------------------------ filters
  function passes(el) {
    return cited(el.dataset.src);
  }
  function cited(src) {
    if (!src) { return true; }
    return src.split(" ").some(function (a) { return !sourceOff[a]; });
  }
  function filter() {
    var counts = {};
    var nodesOn = 0, edgesOn = 0;
    shown = {};
    data.nodes.forEach(function (n, i) {
      if (!big) { return; }
      var on = !classOff[n.group] && cited(n.src);
      shown[n.id] = nodeOn[i] = on;
      if (on) { counts[n.group] = (counts[n.group] || 0) + 1; nodesOn += 1; }
    });
    data.edges.forEach(function (e, i) {
      if (!big) { return; }
      edgeOn[i] = shown[e.from] && shown[e.to] && cited(e.src);
      if (edgeOn[i]) { edgesOn += 1; }
    });
    if (big) { rebuild(); repaint(); }
    nodeEls.forEach(function (el) {
      var on = !classOff[el.dataset.g] && passes(el);
      shown[el.dataset.id] = on;
      el.classList.toggle("kg-off", !on);
      if (on) { counts[el.dataset.g] = (counts[el.dataset.g] || 0) + 1; nodesOn += 1; }
    });
    edgeEls.forEach(function (el) {
      var on = shown[el.dataset.a] !== false && shown[el.dataset.b] !== false && passes(el);
      el.classList.toggle("kg-off", !on);
      if (on) { edgesOn += 1; }
    });
    document.querySelectorAll("#kg-legend .kg-class").forEach(function (b) {
      var count = b.querySelector(".kg-count");
      var total = count.dataset.total;
      var now = counts[b.dataset.g] || 0;
      count.textContent = String(now) === total ? total : now + " of " + total;
    });
    visible.textContent = "Showing " + nodesOn + " of " + data.nodes.length + " marks and " +
      edgesOn + " of " + data.edges.length + " links.";
    labels();
    return { nodes: nodesOn, edges: edgesOn };
  }
  document.querySelectorAll("#kg-legend .kg-class").forEach(function (b) {
    b.addEventListener("click", function () {
      var off = b.getAttribute("aria-pressed") === "true";
      b.setAttribute("aria-pressed", off ? "false" : "true");
      classOff[b.dataset.g] = off;
      filter();
    });
  });
  document.querySelectorAll("#kg-sources .kg-source").forEach(function (box) {
    box.addEventListener("change", function () {
      sourceOff[box.value] = !box.checked;
      filter();
    });
  });

  // ------------------------------------------------------------------ hover, click, details
  function itemOf(target) {
    var el = target.closest && target.closest(".n, .e");
    return el && svg.contains(el) ? el : null;
  }
  svg.addEventListener("mouseover", function (event) {
    var el = itemOf(event.target);
    if (!el) { return; }
    tip.textContent = texts[el.dataset.id] || "";
    tip.style.visibility = "visible";
  });
  svg.addEventListener("mousemove", function (event) {
    if (big) {
      var p = toCanvas(event.clientX, event.clientY), hit = drag ? null : nodeAt(p[0], p[1]);
      tip.textContent = hit ? hit.tip : "";
      tip.style.visibility = hit ? "visible" : "hidden";
      svg.style.cursor = hit ? "pointer" : "";
    }
    var frame = holder.getBoundingClientRect();
    var x = event.clientX - frame.left + 14, y = event.clientY - frame.top + 14;
    tip.style.left = Math.min(x, frame.width - tip.offsetWidth - 4) + "px";
    tip.style.top = Math.min(y, frame.height - tip.offsetHeight - 4) + "px";
  });
  svg.addEventListener("mouseleave", function () { tip.style.visibility = "hidden"; });
  svg.addEventListener("mouseout", function (event) {
    if (itemOf(event.target)) { tip.style.visibility = "hidden"; }
  });
  function select(id) {
    svg.querySelectorAll(".kg-on").forEach(function (el) { el.classList.remove("kg-on"); });
    svg.querySelectorAll('[data-id="' + CSS.escape(id) + '"]').forEach(function (el) {
      el.classList.add("kg-on");
    });
    edgeEls.forEach(function (el) {
      if (el.dataset.a === id || el.dataset.b === id) { el.classList.add("kg-on"); }
    });
    details.textContent = texts[id] || "";
    kg.selected = id;
    repaint();
  }
  svg.addEventListener("click", function (event) {
    var el = itemOf(event.target);
    if (el) { select(el.dataset.id); return; }
    var p = big && toCanvas(event.clientX, event.clientY), hit = p && nodeAt(p[0], p[1]);
    if (hit) { select(hit.id); }
  });

  // ------------------------------------------------------------------ search
  function names(node) {
    return [node.id, node.name, node.ko || ""].concat(node.aliases || []).map(function (s) {
      return s.toLowerCase();
    });
  }
  function find(text) {
    var query = text.trim().toLowerCase();
    if (!query) { return null; }
    var hit = data.nodes.find(function (n) { return names(n).indexOf(query) >= 0; }) ||
      data.nodes.find(function (n) {
        return names(n).some(function (s) { return s.indexOf(query) >= 0; });
      });
    if (!hit) {
      status.textContent = "Nothing matches \u201c" + text.trim() + "\u201d.";
      return null;
    }
    status.textContent = "";
    select(hit.id);
    var el = big || svg.querySelector('.n[data-id="' + CSS.escape(hit.id) + '"]');
    if (el && graphKind) {
      var z = Math.max(zoom(), 2);
      view.w = home.w / z;
      view.h = home.h / z;
      view.x = hit.x - view.w / 2;
      view.y = hit.y - view.h / 2;
      apply();
    }
    return hit.id;
  }
  document.getElementById("kg-find").addEventListener("submit", function (event) {
    event.preventDefault();
    find(input.value);
  });
  input.addEventListener("change", function () { find(input.value); });

  // ------------------------------------------------------------------ downloads
  // the picture as drawn at the default zoom, with what the filters hide left out, framed
  // with the title, the legend and the sources line
  function svgText() {
    var copy = svg.cloneNode(true);
    copy.querySelectorAll(".kg-off").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("g.l").forEach(function (g) {
      var off = shown[g.dataset.id] === false || +g.dataset.z !== 1 || g.dataset.bumped;
      if (off) { g.remove(); return; }
      g.style.display = "";
      if (graphKind) { g.setAttribute("transform", "translate(" + g.dataset.x + "," + g.dataset.y + ")"); }
    });
    copy.querySelectorAll(".kg-on").forEach(function (el) { el.classList.remove("kg-on"); });
    var inner = copy.innerHTML;
    if (big) {  // the canvas's nodes and links as SVG paths (numbers only: nothing to escape)
      var marks = ['<g id="kg-edges">'];
      var end = data.directed ? ' marker-end="url(#kg-arrow)"' : "";
      data.edges.forEach(function (e, i) {
        if (edgeOn[i]) { marks.push('<path class="e" d="' + e.d + '"' + end + "/>"); }
      });
      marks.push('</g><g id="kg-nodes">');
      data.nodes.forEach(function (n, i) {
        if (nodeOn[i]) {
          marks.push('<path class="n" d="' + n.d + '" fill="' + data.colours[n.group] + '"/>');
        }
      });
      marks.push("</g>");
      var at = inner.indexOf('<g id="kg-labels"');
      inner = inner.slice(0, at) + marks.join("") + inner.slice(at);
    }
    return data.print.head + inner + data.print.tail;
  }
  function save(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function pngBlob(scale) {
    var text = svgText();
    var size = /width="([\d.]+)" height="([\d.]+)"/.exec(text);
    var img = new Image();
    return new Promise(function (resolve, reject) {
      img.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = Math.ceil(size[1] * scale);
        canvas.height = Math.ceil(size[2] * scale);
        var g = canvas.getContext("2d");
        g.scale(scale, scale);
        g.drawImage(img, 0, 0);
        canvas.toBlob(resolve, "image/png");
      };
      img.onerror = reject;
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    });
  }
  document.getElementById("kg-svg-download").addEventListener("click", function () {
    save(new Blob([svgText()], { type: "image/svg+xml" }), data.name + ".svg");
  });
  document.getElementById("kg-png-download").addEventListener("click", function () {
    pngBlob(2).then(function (blob) { save(blob, data.name + ".png"); });
  });

  var kg = {
    data: data, view: function () { return view; }, zoom: zoom, zoomAt: zoomAt, fit: fit,
    filter: filter, find: find, select: select, svgText: svgText, pngBlob: pngBlob,
    selected: null
  };
  window.kgView = kg;
  filter();
  if (!data.nodes.length) { status.textContent = "Nothing to draw."; }
  window.addEventListener("resize", repaint);
  requestAnimationFrame(function () {
    labels();
    if (big) { paint(); }
    kg.readyAt = performance.now();
    root.dataset.state = "ready";
  });
})();
