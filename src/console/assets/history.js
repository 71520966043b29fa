// What an execution's history says about each state: reached or not, how it ended (succeeded,
// failed, caught), how often its task was retried, its input, output, error and cause.
"use strict";
(function () {
  const SCHEDULED = /^(Task|Activity|LambdaFunction)Scheduled$/;
  const SUCCEEDED = /^(Task|Activity|LambdaFunction)Succeeded$/;
  const FAILURE = /(Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed|Aborted)$/;

  function details(event) {
    for (const [k, v] of Object.entries(event)) if (k.endsWith("EventDetails")) return v || {};
    return {};
  }

  // events: GetExecutionHistory's events; types: state name -> ASL Type; status: the execution's.
  function analyze(events, types, status) {
    const states = {};
    const open = [];  // entered and not exited, oldest first
    let lastEnteredIndex = -1;
    const t0 = events.length ? events[0].timestamp : 0;
    events.forEach((ev, index) => {
      const d = details(ev);
      const type = ev.type || "";
      if (type.endsWith("StateEntered")) {
        const s = states[d.name] || (states[d.name] = { name: d.name, entries: 0, retries: 0 });
        s.entries++;
        s.entered = ev.timestamp - t0;
        s.exited = undefined;
        s.input = d.input;
        s.output = undefined;
        s.failure = null;
        s.scheduled = 0;
        s.retries = 0;
        open.push(d.name);
        lastEnteredIndex = index;
        return;
      }
      if (type.endsWith("StateExited")) {
        const s = states[d.name];
        if (!s) return;
        s.exited = ev.timestamp - t0;
        s.output = d.output;
        const i = open.lastIndexOf(d.name);
        if (i >= 0) open.splice(i, 1);
        return;
      }
      if (type.startsWith("Execution")) return;
      const wantsGroup = /^(Parallel|Map)State/.test(type);
      let owner = null;
      for (let i = open.length - 1; i >= 0; i--) {
        const t = types[open[i]];
        if (!wantsGroup || t === "Parallel" || t === "Map") { owner = states[open[i]]; break; }
      }
      if (!owner) return;
      if (SCHEDULED.test(type)) {
        if (owner.scheduled++ > 0) owner.retries++;
        owner.failure = null;
      } else if (SUCCEEDED.test(type)) {
        owner.failure = null;
      } else if (FAILURE.test(type) && !/^(MapIteration|MapRun)/.test(type)) {
        owner.failure = { error: d.error, cause: d.cause, type, at: index, time: ev.timestamp - t0 };
      }
    });
    const finished = status && status !== "RUNNING";
    const failedRun = status === "FAILED" || status === "TIMED_OUT" || status === "ABORTED";
    const end = events.length ? events[events.length - 1].timestamp - t0 : 0;
    for (const s of Object.values(states)) {
      if (s.exited !== undefined) {
        s.cls = s.failure ? "caught" : "succeeded";
      } else if (s.failure) {
        // No state entered after the failure: it ended the run (or waits for a retry); one
        // entered after it: a Catch took the error elsewhere.
        s.cls = s.failure.at > lastEnteredIndex ? (finished ? "failed" : "running") : "caught";
      } else if (types[s.name] === "Fail") {
        s.cls = "failed";
      } else {
        s.cls = finished ? (failedRun ? "failed" : "succeeded") : "running";
      }
      s.until = s.exited !== undefined ? s.exited : (s.failure ? s.failure.time : end);
      const parts = [];
      if (s.retries) parts.push("retried ×" + s.retries);
      if (s.entries > 1) parts.push("entered ×" + s.entries);
      s.badge = parts.join(", ");
      s.text = s.cls + (s.badge ? " (" + s.badge + ")" : "");
    }
    return states;
  }

  window.SluiceHistory = { analyze, details };
})();
