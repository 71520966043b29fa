// State machine graphs: an ASL definition becomes a directed graph (states as nodes, Next,
// Default, Choice and Catch transitions as edges, Parallel branches and Map processors as
// nested groups), laid out by dagre and drawn as SVG. Nodes carry the state's path so an
// execution's history can colour them.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";

  // Adds the states of one state list (the machine, a branch, a Map's processor) to `g`.
  // `prefix` keeps names of nested states apart; `parent` is the group they are drawn in.
  function addStates(g, machine, prefix, parent, exits) {
    const states = machine.States || {};
    const id = (name) => prefix + name;
    for (const [name, state] of Object.entries(states)) {
      const type = state.Type;
      const nested = type === "Parallel" ? (state.Branches || []) :
        type === "Map" ? [state.ItemProcessor || state.Iterator].filter(Boolean) : [];
      if (nested.length) {
        const group = "group:" + id(name);
        g.setNode(group, { label: name + " (" + type + ")", cluster: true });
        if (parent) g.setParent(group, parent);
        g.setNode(id(name), { label: name, state: name, type, width: labelWidth(name), height: 34 });
        g.setParent(id(name), group);
        const join = id(name) + "#end";
        g.setNode(join, { label: "", join: true, width: 14, height: 14 });
        g.setParent(join, group);
        nested.forEach((branch, i) => {
          const branchPrefix = id(name) + "/" + i + "/";
          const branchExits = [];
          addStates(g, branch, branchPrefix, group, branchExits);
          if (branch.StartAt) g.setEdge(id(name), branchPrefix + branch.StartAt, { kind: "branch" }, "b" + i);
          for (const e of branchExits) g.setEdge(e, join, { kind: "branch" }, "j");
        });
        addTransitions(g, state, join, prefix, exits);
      } else {
        g.setNode(id(name), { label: name, state: name, type, width: labelWidth(name), height: 34 });
        if (parent) g.setParent(id(name), parent);
        addTransitions(g, state, id(name), prefix, exits);
      }
    }
  }

  function addTransitions(g, state, from, prefix, exits) {
    if (state.Next) g.setEdge(from, prefix + state.Next, { kind: "next" }, "next");
    if (state.Type === "Choice") {
      (state.Choices || []).forEach((c, i) => {
        if (c.Next) g.setEdge(from, prefix + c.Next, { kind: "choice", label: "rule " + (i + 1) }, "c" + i);
      });
      if (state.Default) g.setEdge(from, prefix + state.Default, { kind: "choice", label: "default" }, "default");
    }
    (state.Catch || []).forEach((c, i) => {
      if (c.Next) g.setEdge(from, prefix + c.Next, { kind: "catch", label: (c.ErrorEquals || []).join(", ") }, "k" + i);
    });
    if (state.End || state.Type === "Succeed" || state.Type === "Fail") exits.push(from);
  }

  function labelWidth(text) { return Math.max(80, Math.min(260, 16 + text.length * 7.2)); }

  // The laid-out graph of a definition (JSON text or object).
  function layout(definition) {
    const machine = typeof definition === "string" ? JSON.parse(definition) : definition;
    const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
    g.setGraph({ rankdir: "TB", nodesep: 26, ranksep: 34, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    g.setNode("start", { label: "Start", terminal: true, width: 64, height: 28 });
    g.setNode("end", { label: "End", terminal: true, width: 64, height: 28 });
    const exits = [];
    addStates(g, machine, "", null, exits);
    if (machine.StartAt) g.setEdge("start", machine.StartAt, { kind: "next" }, "start");
    for (const e of exits) g.setEdge(e, "end", { kind: "next" }, "end");
    for (const e of g.edges()) {  // a transition to a state that does not exist: drop it
      const label = g.edge(e);
      if (label.label) { label.width = label.label.length * 6; label.height = 12; label.labelpos = "c"; }
    }
    for (const v of g.nodes()) if (!g.node(v).width && !g.node(v).cluster) g.node(v).width = 60, g.node(v).height = 24;
    dagre.layout(g);
    return g;
  }

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  // Draws `g` into `container`; statuses: node id -> {cls, badge}; onSelect(nodeId, node).
  function draw(container, g, statuses, onSelect, selected) {
    const info = g.graph();
    const svg = el("svg", { class: "graph", viewBox: `0 0 ${info.width} ${info.height}`,
      preserveAspectRatio: "xMidYMin meet" });
    svg.style.maxHeight = Math.max(240, Math.min(info.height, 900)) + "px";
    const defs = el("defs", {}, svg);
    const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8a93a6" }, marker);
    for (const v of g.nodes()) {
      const n = g.node(v);
      if (!n.cluster) continue;
      const c = el("g", { class: "cluster" }, svg);
      el("rect", { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height }, c);
      el("text", { x: n.x - n.width / 2 + 8, y: n.y - n.height / 2 + 12 }, c).textContent = n.label;
    }
    for (const e of g.edges()) {
      const edge = g.edge(e);
      const grp = el("g", { class: "edge " + (edge.kind || "") }, svg);
      const pts = edge.points || [];
      const d = pts.map((p, i) => (i ? "L" : "M") + p.x.toFixed(1) + "," + p.y.toFixed(1)).join(" ");
      el("path", { d, "marker-end": "url(#arrow)" }, grp);
      if (edge.label && edge.x !== undefined) el("text", { x: edge.x, y: edge.y }, grp).textContent = edge.label;
    }
    for (const v of g.nodes()) {
      const n = g.node(v);
      if (n.cluster) continue;
      const st = (statuses && statuses[v]) || null;
      const cls = ["node", n.terminal ? "terminal" : "", n.join ? "terminal" : "", st ? st.cls : (statuses ? "not-reached" : ""),
        v === selected ? "selected" : ""].join(" ");
      const grp = el("g", { class: cls, "data-state": n.state || v, "data-id": v }, svg);
      if (n.join) {
        el("circle", { cx: n.x, cy: n.y, r: 6, fill: "#c5cbd8" }, grp);
        continue;
      }
      el("rect", { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height }, grp);
      el("text", { x: n.x, y: n.y }, grp).textContent = n.label;
      if (st && st.badge) {
        const b = el("text", { x: n.x + n.width / 2 - 4, y: n.y - n.height / 2 - 5, "text-anchor": "end", class: "badge-text" }, grp);
        b.textContent = st.badge;
        b.style.fontSize = "10px";
      }
      const title = el("title", {}, grp);
      title.textContent = (n.type ? n.type + " " : "") + (n.label || v) + (st ? " — " + st.text : "");
      if (onSelect && !n.terminal) grp.addEventListener("click", () => onSelect(v, n));
    }
    container.replaceChildren(svg);
    return svg;
  }

  window.SluiceGraph = { layout, draw };
})();
