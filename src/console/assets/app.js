// The Sluice console: one view per service, each a function of the daemon's JSON views
// (/_sluice/...) that returns DOM; actions call the services' own operations through
// POST /_sluice/call/<service>/<Operation>. A new service is one more entry in VIEWS.
"use strict";

// ---- tiny DOM helpers ---------------------------------------------------------------
function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
const badge = (text, cls) => h("span", { class: "badge s-" + (cls || text) }, text);
const enc = encodeURIComponent;

async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(path + ": " + r.status + " " + (await r.text()));
  return r.json();
}
async function getText(path) {
  const r = await fetch(path);
  return r.ok ? r.text() : "";
}
// Calls a service's operation in (account, region); throws with AWS's error code and message.
async function call(service, operation, input, scope) {
  const r = await fetch("/_sluice/call/" + service + "/" + operation, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ account: scope && scope.account, region: scope && scope.region, input: input || {} }) });
  const body = await r.json();
  if (!r.ok) throw new Error((body.__type || r.status) + ": " + body.message);
  return body;
}
function act(fn) {  // a button's action: errors shown, the view redrawn after
  return async (ev) => {
    const button = ev && ev.currentTarget;
    if (button) button.disabled = true;
    try { await fn(); flash(""); } catch (e) { flash(e.message); }
    finally { if (button) button.disabled = false; refresh(); }
  };
}
function flash(text) {
  let f = document.getElementById("flash");
  if (!f) { f = h("p", { id: "flash", class: "error" }); document.getElementById("main").before(f); }
  f.textContent = text;
}

function pretty(text) {
  if (text === undefined || text === null) return "";
  if (typeof text !== "string") return JSON.stringify(text, null, 2);
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}
const ago = (ms) => { const s = Math.round((ms - Date.now()) / 1000); return s >= 0 ? "in " + s + " s" : -s + " s ago"; };
const when = (epochSeconds) => epochSeconds ? new Date(epochSeconds * 1000).toLocaleTimeString() : "";
const shortArn = (arn) => (arn || "").split(/[:/]/).pop();

// ---- views ----------------------------------------------------------------------------
async function overviewView() {
  const o = await getJson("/_sluice/overview");
  const s = o.services;
  const card = (title, value, sub, href) => h("a", { class: "card", href, style: "text-decoration:none;color:inherit" },
    h("div", { class: "muted" }, title), h("div", { class: "stat" }, value), h("div", { class: "muted" }, sub));
  const queues = (s.sqs && s.sqs.queues) || [];
  const engine = (s.ecs && s.ecs.engine) || {};
  return [h("h1", {}, "Overview"),
    h("p", { class: "muted" }, `Sluice ${o.version} · up ${Math.round(o.uptimeSeconds)} s · time scale ${o.timeScale}` +
      (o.timeScale !== 1 ? ` (every wait ${o.timeScale < 1 ? (1 / o.timeScale) + "x faster" : o.timeScale + "x slower"})` : "")),
    h("div", { class: "cards" },
      s.sqs && card("SQS queues", queues.length, queues.reduce((n, q) => n + q.visible + q.inFlight + q.delayed, 0) + " messages", "#/sqs"),
      s.stepfunctions && card("State machines", s.stepfunctions.state_machines,
        `${s.stepfunctions.executions} executions, ${s.stepfunctions.running} running`, "#/sfn"),
      s.pipes && card("Pipes", s.pipes.pipes.length, s.pipes.pipes.filter((p) => p.currentState === "RUNNING").length + " running", "#/pipes"),
      s.ecs && card("ECS tasks", s.ecs.tasks.length, "engine: " + (engine.state || "?") + (engine.endpoint ? " at " + engine.endpoint : ""), "#/ecs"),
      ...Object.keys(s).filter((k) => !VIEWS[k]).map((k) => card(k, "", JSON.stringify(s[k]).slice(0, 80), "#/"))),
  ];
}

async function sqsView() {
  const v = await getJson("/_sluice/sqs");
  const byArn = Object.fromEntries(v.queues.map((q) => [q.arn, q]));
  const link = (arn) => byArn[arn] ? h("a", { href: queueHref(byArn[arn]) }, byArn[arn].name) : shortArn(arn);
  return [h("h1", {}, "SQS queues"),
    h("table", { id: "queues" }, h("tr", {}, ["Queue", "Account / region", "Visible", "In flight", "Delayed", "Dead-letter queue", "Dead-letter queue of"].map((t) => h("th", {}, t))),
      v.queues.map((q) => h("tr", { "data-queue": q.name },
        h("td", {}, h("a", { href: queueHref(q) }, q.name), q.fifo ? " " : "", q.fifo ? badge("FIFO", "delayed") : ""),
        h("td", { class: "muted" }, q.account + " / " + q.region),
        h("td", { class: "num" }, q.visible), h("td", { class: "num" }, q.inFlight), h("td", { class: "num" }, q.delayed),
        h("td", {}, q.deadLetterTargetArn ? ["→ ", link(q.deadLetterTargetArn), h("span", { class: "muted" }, " after " + q.maxReceiveCount + " receives")] : ""),
        h("td", {}, (q.deadLetterSourceArns || []).map((a, i) => [i ? ", " : "← ", link(a)]))))),
    v.moveTasks.length ? [h("h2", {}, "Message move tasks"), h("table", {}, h("tr", {}, ["Source", "Destination", "Status", "Moved"].map((t) => h("th", {}, t))),
      v.moveTasks.map((t) => h("tr", {}, h("td", {}, link(t.sourceArn)), h("td", {}, t.destinationArn ? link(t.destinationArn) : "original source"),
        h("td", {}, badge(t.status, t.status === "COMPLETED" ? "SUCCEEDED" : t.status)), h("td", { class: "num move-progress" }, t.moved + " / " + t.toMove))))] : ""];
}
const queueHref = (q) => `#/sqs/${enc(q.account)}/${enc(q.region)}/${enc(q.name)}`;

async function queueView(account, region, name) {
  const base = `/_sluice/sqs/queues/${enc(account)}/${enc(region)}/${enc(name)}`;
  const [q, all] = await Promise.all([getJson(base + "/messages"), getJson("/_sluice/sqs")]);
  const info = all.queues.find((x) => x.arn === q.arn) || {};
  const scope = { account, region };
  const url = location.origin + "/" + account + "/" + name;
  const body = h("textarea", { id: "send-body", placeholder: "Message body" });
  const group = info.fifo ? h("input", { id: "send-group", placeholder: "MessageGroupId", value: "console" }) : null;
  return [h("h1", {}, "Queue ", name, " ", h("span", { class: "muted" }, account + " / " + region)),
    h("p", {}, badge(q.visible + " visible", "visible"), " ", badge(q.inFlight + " in flight", "inflight"), " ", badge(q.delayed + " delayed", "delayed"),
      info.deadLetterTargetArn ? [" · dead-letter queue: ", shortArn(info.deadLetterTargetArn)] : ""),
    h("div", { class: "card" }, h("div", { class: "row" }, h("strong", {}, "Send a message")), body,
      h("div", { class: "row" }, group,
        h("button", { class: "primary", id: "send", onclick: act(() => call("sqs", "SendMessage",
          Object.assign({ QueueUrl: url, MessageBody: body.value }, group ? { MessageGroupId: group.value, MessageDeduplicationId: String(Date.now()) } : {}), scope)) }, "Send"),
        h("button", { class: "danger", id: "purge", onclick: act(async () => {
          if (confirm("Delete every message of " + name + "?")) await call("sqs", "PurgeQueue", { QueueUrl: url }, scope);
        }) }, "Purge"),
        (info.deadLetterSourceArns || []).length ? h("button", { id: "redrive", onclick: act(() =>
          call("sqs", "StartMessageMoveTask", { SourceArn: q.arn }, scope)) }, "Redrive to source queue") : "")),
    h("h2", {}, "Messages (read without receiving them)"),
    h("table", { id: "messages" }, h("tr", {}, ["State", "Body", "Attributes", "Receives", "Sent", "Message id"].map((t) => h("th", {}, t))),
      q.messages.map((m) => h("tr", {},
        h("td", {}, badge(m.state === "inflight" ? "in flight" : m.state, m.state), m.visibleAt ? h("div", { class: "muted" }, "visible " + ago(m.visibleAt)) : ""),
        h("td", {}, h("pre", { class: "body" }, pretty(m.body))),
        h("td", {}, m.messageAttributes ? h("pre", {}, pretty(m.messageAttributes)) : "", m.messageGroupId ? h("div", { class: "muted" }, "group " + m.messageGroupId) : ""),
        h("td", { class: "num" }, m.receiveCount),
        h("td", { class: "muted" }, new Date(m.sentTimestamp).toLocaleTimeString()),
        h("td", { class: "muted" }, m.messageId)))),
    q.messages.length ? "" : h("p", { class: "muted" }, "No messages.")];
}

async function sfnView() {
  const v = await getJson("/_sluice/stepfunctions/state-machines");
  return [h("h1", {}, "State machines"),
    h("table", {}, h("tr", {}, ["Name", "Type", "Account / region", "Executions", "Running"].map((t) => h("th", {}, t))),
      v.stateMachines.map((m) => h("tr", {}, h("td", {}, h("a", { href: "#/sfn/" + enc(m.stateMachineArn) }, m.name)), h("td", {}, m.type),
        h("td", { class: "muted" }, m.account + " / " + m.region), h("td", { class: "num" }, m.executions), h("td", { class: "num" }, m.running))))];
}

const ui = { selected: {}, filter: "", compare: [] };

async function machineView(arn) {
  const m = await getJson("/_sluice/stepfunctions/state-machines/" + enc(arn));
  const graph = h("div", { class: "graph-box" });
  SluiceGraph.draw(graph, SluiceGraph.layout(m.definition));
  const input = h("textarea", { id: "start-input" }, "{}");
  const statuses = ["", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];
  const filter = h("select", { onchange: (e) => { ui.filter = e.target.value; refresh(); } },
    statuses.map((s) => h("option", { value: s, selected: s === ui.filter }, s || "all statuses")));
  const list = m.executionList.filter((e) => !ui.filter || e.status === ui.filter);
  return [h("h1", {}, m.name, " ", h("span", { class: "muted" }, m.type)),
    h("div", { class: "split" }, graph,
      h("div", {}, h("div", { class: "card" }, h("strong", {}, "Start an execution"), input,
        h("div", { class: "row" }, h("button", { class: "primary", onclick: act(async () => {
          const r = await call("stepfunctions", "StartExecution", { stateMachineArn: arn, input: input.value }, m);
          location.hash = "#/execution/" + enc(r.executionArn);
        }) }, "Start"))),
      h("h2", {}, "Executions ", filter),
      h("div", { class: "row" }, h("button", { id: "compare", onclick: () => {
        if (ui.compare.length === 2) location.hash = "#/compare/" + enc(ui.compare[0]) + "/" + enc(ui.compare[1]);
      } }, "Compare the two ticked")),
      h("table", { id: "executions" }, list.map((e) => h("tr", {},
        h("td", {}, h("input", { type: "checkbox", checked: ui.compare.includes(e.executionArn), onchange: (ev) => {
          ui.compare = ui.compare.filter((a) => a !== e.executionArn);
          if (ev.target.checked) ui.compare = ui.compare.concat([e.executionArn]).slice(-2);
        } })),
        h("td", {}, h("a", { href: "#/execution/" + enc(e.executionArn) }, e.name)), h("td", {}, badge(e.status)),
        h("td", { class: "muted" }, when(e.startDate))))))),
    h("h2", {}, "Definition"), h("pre", { class: "card" }, pretty(m.definition))];
}

// One execution: the graph coloured by what happened, the selected state's data, the timeline.
function executionPane(e, key) {
  const g = SluiceGraph.layout(e.definition);
  const types = {};
  const idOf = {};
  for (const v of g.nodes()) { const n = g.node(v); if (n.state) { types[n.state] = n.type; idOf[n.state] = v; } }
  const states = SluiceHistory.analyze(e.events, types, e.status);
  const statuses = { start: { cls: "succeeded", text: "" } };
  for (const s of Object.values(states)) if (idOf[s.name]) statuses[idOf[s.name]] = s;
  if (e.status === "SUCCEEDED") statuses.end = { cls: "succeeded", text: "" };
  const graphBox = h("div", { class: "graph-box", "data-execution": e.name });
  const detail = h("div", { class: "card state-detail" });
  const show = (id) => {
    ui.selected[key] = id;
    const n = g.node(id);
    const s = n && states[n.state];
    SluiceGraph.draw(graphBox, g, statuses, show, id);
    detail.replaceChildren(h("strong", {}, n ? n.label : id, " "), s ? badge(s.cls) : badge("not reached", "delayed"),
      s ? h("div", { class: "kv" },
        s.badge ? [h("span", { class: "muted" }, "retries"), h("span", {}, s.badge)] : "",
        h("span", { class: "muted" }, "input"), h("pre", { class: "state-input" }, pretty(s.input)),
        s.output !== undefined ? [h("span", { class: "muted" }, "output"), h("pre", { class: "state-output" }, pretty(s.output))] : "",
        s.failure ? [h("span", { class: "muted" }, "error"), h("pre", { class: "state-error error" }, s.failure.error || ""),
          h("span", { class: "muted" }, "cause"), h("pre", { class: "state-cause" }, pretty(s.failure.cause))] : "") : "");
  };
  SluiceGraph.draw(graphBox, g, statuses, show, ui.selected[key]);
  if (ui.selected[key]) show(ui.selected[key]);
  else detail.append(h("span", { class: "muted" }, "Click a state to see its input, output, error and cause."));
  // Timeline: one lane per state reached, against the execution's time.
  const t0 = e.events.length ? e.events[0].timestamp : 0;
  const span = Math.max(0.001, (e.events.length ? e.events[e.events.length - 1].timestamp : 0) - t0);
  const lanes = Object.values(states).sort((a, b) => a.entered - b.entered).map((s) => h("div", { class: "lane" },
    h("span", { class: "name", title: s.name }, s.name),
    h("span", { class: "track" }, h("span", { class: "bar " + s.cls,
      style: `left:${(s.entered / span) * 100}%;width:${Math.max(0.3, ((s.until - s.entered) / span) * 100)}%`,
      title: `${s.name}: ${s.cls}, ${(s.until - s.entered).toFixed(3)} s` }))));
  return h("div", { class: "execution" },
    h("div", { class: "row" }, h("strong", {}, e.name), badge(e.status), h("span", { class: "muted" }, when(e.startDate) + (e.stopDate ? " → " + when(e.stopDate) : "")),
      e.error ? h("span", { class: "error" }, e.error + (e.cause ? ": " + String(e.cause).slice(0, 200) : "")) : ""),
    graphBox, detail,
    h("h2", {}, "Timeline ", h("span", { class: "muted" }, span.toFixed(3) + " s")), h("div", { class: "timeline card" }, lanes),
    h("h2", {}, "Events (" + e.events.length + ")"),
    h("div", { class: "events" }, h("table", { class: "event-table" }, h("tr", {}, ["#", "Type", "+s", "State / details"].map((t) => h("th", {}, t))),
      e.events.map((ev) => { const d = SluiceHistory.details(ev); return h("tr", {}, h("td", { class: "num" }, ev.id), h("td", {}, ev.type),
        h("td", { class: "num" }, (ev.timestamp - t0).toFixed(3)), h("td", {}, d.name || d.error || d.resource || "")); }))));
}

async function executionView(arn) {
  const e = await getJson("/_sluice/stepfunctions/executions/" + enc(arn));
  return [h("p", {}, h("a", { href: "#/sfn/" + enc(e.stateMachineArn) }, "← " + shortArn(e.stateMachineArn))), executionPane(e, "one")];
}

async function compareView(a, b) {
  const [x, y] = await Promise.all([a, b].map((arn) => getJson("/_sluice/stepfunctions/executions/" + enc(arn))));
  return [h("h1", {}, "Two executions side by side"), h("div", { class: "compare" }, executionPane(x, "left"), executionPane(y, "right"))];
}

async function pipesView() {
  const v = await getJson("/_sluice/pipes");
  const step = (label, text) => h("div", { class: "step" }, h("div", { class: "muted" }, label), text);
  return [h("h1", {}, "Pipes"), v.pipes.length ? "" : h("p", { class: "muted" }, "No pipes."),
    v.pipes.map((p) => h("div", { class: "card pipe", "data-pipe": p.name },
      h("div", { class: "row" }, h("strong", {}, p.name), badge(p.currentState, p.currentState === "RUNNING" ? "SUCCEEDED" : "delayed"),
        h("span", { class: "muted" }, "desired " + p.desiredState + " · " + p.account + " / " + p.region),
        p.currentState === "STOPPED" ? h("button", { class: "start-pipe", onclick: act(() => call("pipes", "StartPipe", { Name: p.name }, p)) }, "Start")
          : h("button", { class: "stop-pipe", onclick: act(() => call("pipes", "StopPipe", { Name: p.name }, p)) }, "Stop")),
      h("div", { class: "flow" }, step("source", shortArn(p.source)), h("span", { class: "arrow" }, "→"),
        step("filter", p.messagesFiltered + " filtered out"), h("span", { class: "arrow" }, "→"),
        p.enrichment ? [step("enrichment", shortArn(p.enrichment)), h("span", { class: "arrow" }, "→")] : "",
        step("target", shortArn(p.target))),
      h("table", { class: "counters" }, h("tr", {}, ["Batches", "Received", "Delivered", "Filtered", "Failed", "In flight"].map((t) => h("th", {}, t))),
        h("tr", {}, [p.batches, p.messagesReceived, p.messagesDelivered, p.messagesFiltered, p.messagesFailed, p.batchesInFlight].map((n) => h("td", { class: "num" }, n)))),
      p.lastError ? h("p", { class: "error last-error" }, "Last error (" + p.lastErrorAt + "): " + p.lastError) : ""))];
}

async function ecsView() {
  const v = await getJson("/_sluice/ecs");
  const engine = v.engine || {};
  return [h("h1", {}, "ECS"),
    h("p", {}, "Container engine: ", badge(engine.state || "?", engine.state === "connected" ? "SUCCEEDED" : "delayed"), " ", h("span", { class: "muted" }, engine.endpoint || "")),
    h("h2", {}, "Clusters"), h("p", {}, v.clusterList.map((c) => [badge(c.clusterName, "delayed"), " "])),
    h("h2", {}, "Tasks"),
    h("table", { id: "tasks" }, h("tr", {}, ["Task", "Definition", "Status", "Containers (exit codes)", "Stop", "Started / stopped"].map((t) => h("th", {}, t))),
      v.tasks.map((t) => h("tr", { "data-task": t.id },
        h("td", {}, h("a", { href: "#/ecs/" + enc(t.id) }, t.id.slice(0, 12)), h("div", { class: "muted" }, shortArn(t.clusterArn))),
        h("td", {}, shortArn(t.taskDefinitionArn)),
        h("td", {}, badge(t.lastStatus, t.lastStatus === "STOPPED" ? (t.containers || []).every((c) => c.exitCode === 0) ? "SUCCEEDED" : "FAILED" : "RUNNING")),
        h("td", {}, (t.containers || []).map((c) => h("div", { class: "container" }, c.name, ": ", c.exitCode !== undefined ? "exit " + c.exitCode : c.lastStatus, c.reason ? h("span", { class: "muted" }, " " + c.reason) : ""))),
        h("td", {}, t.stopCode || "", t.stoppedReason ? h("div", { class: "muted" }, t.stoppedReason) : ""),
        h("td", { class: "muted" }, when(t.startedAt || t.createdAt), t.stoppedAt ? " → " + when(t.stoppedAt) : ""))))];
}

async function taskView(id) {
  const [v, logs] = await Promise.all([getJson("/_sluice/ecs"), getText("/_sluice/ecs/tasks/" + enc(id) + "/logs")]);
  const t = v.tasks.find((x) => x.id === id);
  if (!t) return [h("p", {}, "No task " + id)];
  return [h("p", {}, h("a", { href: "#/ecs" }, "← ECS")), h("h1", {}, "Task ", id),
    h("div", { class: "kv card" }, h("span", { class: "muted" }, "status"), h("span", {}, t.lastStatus + " (desired " + t.desiredStatus + ")"),
      h("span", { class: "muted" }, "stop"), h("span", {}, (t.stopCode || "") + " " + (t.stoppedReason || "")),
      (t.containers || []).map((c) => [h("span", { class: "muted" }, c.name), h("span", { class: "container" }, (c.exitCode !== undefined ? "exit code " + c.exitCode : c.lastStatus) + (c.reason ? " · " + c.reason : ""))])),
    h("h2", {}, "Logs"), h("pre", { class: "card logs" }, logs || "(no output)")];
}

// ---- routing and live updates --------------------------------------------------------
// Each service's views: the nav entry, then routes as [pattern, view]. Adding a service is one entry.
const VIEWS = {
  overview: { title: "Overview", href: "#/", routes: [[/^$/, overviewView]] },
  sqs: { title: "SQS", href: "#/sqs", routes: [[/^sqs$/, sqsView], [/^sqs\/([^/]+)\/([^/]+)\/([^/]+)$/, queueView]] },
  stepfunctions: { title: "Step Functions", href: "#/sfn", routes: [[/^sfn$/, sfnView], [/^sfn\/(.+)$/, machineView],
    [/^execution\/(.+)$/, executionView], [/^compare\/([^/]+)\/([^/]+)$/, compareView]] },
  pipes: { title: "Pipes", href: "#/pipes", routes: [[/^pipes$/, pipesView]] },
  ecs: { title: "ECS", href: "#/ecs", routes: [[/^ecs$/, ecsView], [/^ecs\/(.+)$/, taskView]] },
};

let rendering = Promise.resolve();
function refresh() {
  rendering = rendering.then(render, render);
  return rendering;
}
async function render() {
  const path = location.hash.replace(/^#\/?/, "");
  const main = document.getElementById("main");
  for (const [key, v] of Object.entries(VIEWS)) {
    for (const [pattern, view] of v.routes) {
      const m = path.match(pattern);
      if (!m) continue;
      document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === key));
      try {
        const scrollY = window.scrollY;
        const content = await view(...m.slice(1).map(decodeURIComponent));
        main.replaceChildren(...[content].flat(Infinity).filter((c) => c !== "" && c != null).map((c) => c instanceof Node ? c : document.createTextNode(c)));
        window.scrollTo(0, scrollY);
        document.body.dataset.rendered = String(Date.now());
      } catch (e) {
        main.replaceChildren(h("p", { class: "error" }, e.message));
        document.body.dataset.rendered = String(Date.now());
      }
      return;
    }
  }
  main.replaceChildren(h("p", {}, "Nothing at " + path));
}

// Long poll: the daemon answers when its state moved; the view is drawn again. Nothing runs while
// the page is hidden.
let fingerprint = "";
async function watch() {
  const live = document.getElementById("live");
  for (;;) {
    if (document.hidden) { live.classList.add("off"); await new Promise((r) => document.addEventListener("visibilitychange", r, { once: true })); continue; }
    try {
      const r = await getJson("/_sluice/watch?since=" + enc(fingerprint));
      live.classList.remove("off");
      if (r.fingerprint !== fingerprint) {
        fingerprint = r.fingerprint;
        // Someone typing in a form keeps what they typed: the view is drawn when they leave it.
        const field = document.activeElement;
        if (field && /^(TEXTAREA|INPUT|SELECT)$/.test(field.tagName))
          await new Promise((resolve) => field.addEventListener("blur", resolve, { once: true }));
        await refresh();
        // At most one redraw a second while the daemon is busy (a pipe moving messages).
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    } catch {
      live.classList.add("off");
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

document.getElementById("nav").append(...Object.entries(VIEWS).map(([key, v]) => h("a", { href: v.href, "data-view": key }, v.title)));
window.addEventListener("hashchange", () => { ui.compare = []; refresh(); });
refresh().then(watch);
