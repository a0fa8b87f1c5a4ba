// The simulation page: start a run as a job, follow its progress, then show the flows, the
// timeline (p99 line, error bars, failure windows shaded) and the components.

import { api } from "./api.js";
import { legend, timelineChart, utilisationBar, COLORS } from "./charts.js";
import { $, h, clear, fill, figure, table, rate, ms, pct, num, pick, reportError } from "./ui.js";

const POLL_MS = 250;

const designId = document.querySelector("[data-design-id]").dataset.designId;
const form = $("#sim-form");
const run = $("#run");
const progress = $("#progress");
const progressText = $("#progress-text");
const status = $("#sim-status");
const result = $("#sim-result");

let failures = [];

function seconds(s) {
  if (typeof s !== "number") return "";
  if (s >= 120) return `${num(s / 60, 3)} min`;
  return `${num(s, 3)} s`;
}

async function loadDesign() {
  try {
    const design = await api.getDesign(designId);
    const name = pick(design, "name", "title");
    if (name) {
      $("#design-name").textContent = name;
      document.title = `Simulate ${name} · staffpath studio`;
    }
    failures = pick(design, "failures") || [];
    const select = $("#failure");
    select.append(
      ...failures.map((f, i) =>
        h(
          "option",
          { value: pick(f, "index") ?? i },
          `${f.label} (at ${seconds(f.at_s)}${typeof f.end_s === "number" && f.end_s > f.at_s ? `, for ${seconds(f.end_s - f.at_s)}` : ""})`,
        ),
      ),
    );
    if (!failures.length) {
      select.disabled = true;
      $("#failure-help").textContent =
        "This design scripts no failures; add a failures: section to rehearse one.";
    }
  } catch (err) {
    reportError(err);
  }
}

function setProgress(fraction, label) {
  const f = Math.max(0, Math.min(1, Number(fraction) || 0));
  progress.value = f;
  progressText.textContent = label ?? `${Math.round(f * 100)}%`;
}

const sleep = (msec) => new Promise((resolve) => setTimeout(resolve, msec));

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  const body = {
    multiplier: Number($("#multiplier").value),
    failure: $("#failure").value === "" ? null : Number($("#failure").value),
    requests: Math.round(Number($("#requests").value)),
  };
  run.disabled = true;
  run.textContent = "Running…";
  setProgress(0, "");
  status.dataset.state = "running";
  status.textContent = "Queued…";
  try {
    const started = await api.startSimulation(designId, body);
    const job = pick(started, "job", "id", "job_id");
    let lastState = "queued";
    for (;;) {
      const j = await api.job(job);
      if (j.state !== lastState) {
        lastState = j.state;
        if (j.state === "running") status.textContent = "Running…";
      }
      setProgress(j.progress ?? (j.state === "done" ? 1 : 0));
      if (j.state === "done") {
        setProgress(1);
        status.dataset.state = "done";
        // {simulation, window}: the window is the failure's span in the run's own time.
        const sim = j.result && j.result.simulation ? j.result.simulation : j.result;
        const w = j.result && j.result.window;
        const windows = w
          ? [
              {
                at_s: w.start_s,
                end_s: w.end_s,
                label: w.cut ? `${w.label} (its first ${seconds(w.end_s - w.start_s)})` : w.label,
              },
            ]
          : [];
        status.textContent = `Done: ${(sim.requests ?? body.requests).toLocaleString("en-US")} requests at ${body.multiplier}× peak${w ? `, through “${w.label}”` : ", steady state"}${typeof j.seconds === "number" ? ` in ${num(j.seconds, 2)} s` : ""}.`;
        render(sim, windows);
        break;
      }
      if (j.state === "failed") {
        status.dataset.state = "failed";
        status.textContent = `The simulation failed: ${j.error || "no reason given"}.`;
        setProgress(0, "");
        break;
      }
      await sleep(POLL_MS);
    }
  } catch (err) {
    status.dataset.state = "failed";
    status.textContent = `The simulation could not run: ${err.message}`;
    setProgress(0, "");
    reportError(err);
  } finally {
    run.disabled = false;
    run.textContent = "Run simulation";
  }
});

function errorsCell(errors) {
  const parts = ["timeout", "rejected", "failed"].filter((c) => errors && errors[c]);
  if (!parts.length) return h("span", { class: "muted" }, "none");
  return h(
    "span",
    { class: "tags" },
    parts.map((c) =>
      h("span", { class: `tag tag-${c}` }, `${errors[c].toLocaleString("en-US")} ${c}`),
    ),
  );
}

function render(r, windows) {
  result.hidden = false;
  const cons = r.conservation || {};
  fill(
    $("#sim-summary"),
    figure("Throughput", rate(r.throughput_rps)),
    figure(
      "Requests",
      (r.requests ?? 0).toLocaleString("en-US"),
      r.replications > 1 ? `${r.replications} replications` : null,
    ),
    figure(
      "Simulated",
      seconds(r.simulated_s),
      r.warmup_s ? `after ${seconds(r.warmup_s)} warm-up` : null,
    ),
    figure("Events", (r.events ?? 0).toLocaleString("en-US")),
    figure(
      "Conservation",
      cons.arrived !== undefined ? `${(cons.arrived ?? 0).toLocaleString("en-US")} in` : "—",
      cons.arrived !== undefined
        ? `${(cons.completed ?? 0).toLocaleString("en-US")} done · ${(cons.failed ?? 0).toLocaleString("en-US")} failed · ${(cons.in_flight ?? 0).toLocaleString("en-US")} in flight`
        : null,
    ),
  );

  const flows = Object.entries(r.flows || {});
  fill(
    $("#sim-flows"),
    table(
      [
        { label: "Flow", cell: ([n]) => n },
        {
          label: "Completed",
          num: true,
          cell: ([, f]) => (f.count ?? 0).toLocaleString("en-US"),
        },
        {
          label: "Throughput",
          num: true,
          cell: ([, f]) => rate(f.throughput_rps),
        },
        { label: "p50", num: true, cell: ([, f]) => ms(f.p50_ms) },
        { label: "p95", num: true, cell: ([, f]) => ms(f.p95_ms) },
        {
          label: "p99",
          num: true,
          cell: ([, f]) => [
            h("strong", {}, ms(f.p99_ms)),
            Array.isArray(f.p99_ci_ms)
              ? h(
                  "div",
                  { class: "muted small" },
                  `95% CI ${ms(f.p99_ci_ms[0])}–${ms(f.p99_ci_ms[1])}`,
                )
              : null,
          ],
        },
        { label: "p99.9", num: true, cell: ([, f]) => ms(f.p999_ms) },
        {
          label: "Error rate",
          num: true,
          cell: ([, f]) => pct(f.error_rate, 2),
        },
        { label: "Errors by cause", cell: ([, f]) => errorsCell(f.errors) },
      ],
      flows,
      { id: "sim-flows-table" },
    ),
  );

  const timeline = r.timeline || [];
  const host = clear($("#timeline"));
  if (timeline.length) {
    host.append(timelineChart(timeline, windows));
    fill(
      $("#timeline-legend"),
      legend([
        { label: "p99 latency", color: COLORS.p99, shape: "line" },
        { label: "p50 latency", color: COLORS.p50, shape: "dash" },
        { label: "timeouts", color: COLORS.timeout },
        { label: "rejected", color: COLORS.rejected },
        { label: "failed", color: COLORS.failed },
        ...(windows.length ? [{ label: "scripted failure", color: "rgba(110,119,129,0.28)" }] : []),
      ]),
    );
  } else host.append(h("p", { class: "muted" }, "The run kept no timeline."));

  fill(
    $("#timeline-table"),
    table(
      [
        { label: "From", cell: (b) => seconds(b.start_s) },
        {
          label: "Arrivals",
          num: true,
          cell: (b) => (b.arrivals ?? 0).toLocaleString("en-US"),
        },
        { label: "Throughput", num: true, cell: (b) => rate(b.throughput_rps) },
        { label: "p50", num: true, cell: (b) => ms(b.p50_ms) },
        { label: "p99", num: true, cell: (b) => ms(b.p99_ms) },
        { label: "Errors", cell: (b) => errorsCell(b.errors) },
      ],
      timeline,
      { id: "timeline-data", className: "data compact" },
    ),
  );

  const comps = Object.entries(r.components || {});
  fill(
    $("#sim-components"),
    table(
      [
        { label: "Component", cell: ([n]) => n },
        {
          label: "Utilisation",
          cell: ([, c]) => utilisationBar(c.utilization),
        },
        { label: "Mean wait", num: true, cell: ([, c]) => ms(c.mean_wait_ms) },
        {
          label: "Time in component",
          num: true,
          cell: ([, c]) => ms(c.mean_sojourn_ms),
        },
        {
          label: "Completed",
          num: true,
          cell: ([, c]) => rate(c.completed_rps),
        },
        {
          label: "Rejected",
          num: true,
          cell: ([, c]) => (c.rejected ?? 0).toLocaleString("en-US"),
        },
        {
          label: "Failed",
          num: true,
          cell: ([, c]) => (c.failed ?? 0).toLocaleString("en-US"),
        },
      ],
      comps,
      { id: "sim-components-table" },
    ),
  );
}

loadDesign();
