// Inline-SVG charts drawn from numbers the page already has: no chart library, no request.
// Each chart is an <svg role="img"> with a title and a description that says what it shows.

import { h, ms as fmtMs, pct } from "./ui.js";

const S = (tag, attrs, ...children) => h(`svg:${tag}`, attrs, ...children);

export const COLORS = {
  ok: "#0969da",
  warn: "#bf8700",
  hot: "#cf222e",
  grid: "#d8dee4",
  axis: "#57606a",
  text: "#1f2328",
  p99: "#0969da",
  p50: "#54aeff",
  timeout: "#bf8700",
  rejected: "#8250df",
  failed: "#cf222e",
  failure: "#6e7781",
};

let counter = 0;
const uid = (prefix) => `${prefix}-${++counter}`;

function frame(width, height, title, description) {
  const titleId = uid("chart-title");
  const descId = uid("chart-desc");
  return S(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      width: "100%",
      role: "img",
      "aria-labelledby": `${titleId} ${descId}`,
      class: "chart",
      "font-family": "system-ui, -apple-system, 'Segoe UI', 'Liberation Sans', sans-serif",
      "font-size": "12",
    },
    S("title", { id: titleId }, title),
    S("desc", { id: descId }, description),
  );
}

// Round steps (1, 2, 2.5, 5 × 10^k) that cover 0..max in about `count` ticks.
export function niceTicks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max)
    ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

// A small inline bar for a table cell: the share busy, coloured by how close to saturation.
export function utilisationBar(u, saturated = false) {
  const width = Math.max(0, Math.min(1, u)) * 100;
  return h(
    "div",
    { class: "ubar", title: saturated ? "saturated" : null },
    h(
      "span",
      { class: "ubar-track", "aria-hidden": "true" },
      h("span", { class: "ubar-fill", style: `width:${width}%;background:${utilisationColor(u)}` }),
    ),
    h("span", { class: "ubar-value" }, saturated ? `${pct(u)} (saturated)` : pct(u)),
  );
}

export function utilisationColor(u) {
  return u >= 0.85 ? COLORS.hot : u >= 0.7 ? COLORS.warn : COLORS.ok;
}

// Horizontal bars, one per item: [{label, value (0..1), highlight?}]. Values past 100% are
// drawn to the edge and labelled with their real figure.
export function utilisationChart(items, { title = "Utilisation by component", line = 0.7 } = {}) {
  const labelW = 130;
  const valueW = 64;
  const barW = 560;
  const rowH = 26;
  const top = 8;
  const width = labelW + barW + valueW;
  const height = top + rowH * items.length + 26;
  const desc = items.map((i) => `${i.label} ${pct(i.value)}`).join(", ");
  const svg = frame(
    width,
    height,
    title,
    `${desc}. Dashed line: ${pct(line, 2)}, the sizing target.`,
  );
  const x = (v) => labelW + barW * Math.max(0, Math.min(1, v));
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(
      S("line", {
        x1: x(t),
        x2: x(t),
        y1: top - 4,
        y2: height - 22,
        stroke: COLORS.grid,
      }),
    );
    svg.append(
      S(
        "text",
        { x: x(t), y: height - 8, "text-anchor": "middle", fill: COLORS.axis },
        `${Math.round(t * 100)}%`,
      ),
    );
  }
  items.forEach((item, i) => {
    const y = top + i * rowH;
    const label = item.highlight ? `${item.label} ★` : item.label;
    svg.append(
      S(
        "text",
        {
          x: labelW - 10,
          y: y + rowH / 2 + 4,
          "text-anchor": "end",
          fill: COLORS.text,
          "font-weight": item.highlight ? "600" : null,
        },
        label.length > 18 ? `${label.slice(0, 17)}…` : label,
      ),
    );
    svg.append(
      S("rect", {
        x: labelW,
        y: y + 5,
        width: barW,
        height: rowH - 10,
        fill: "#f6f8fa",
        rx: 3,
      }),
    );
    svg.append(
      S(
        "rect",
        {
          x: labelW,
          y: y + 5,
          width: Math.max(1, x(item.value) - labelW),
          height: rowH - 10,
          fill: utilisationColor(item.value),
          rx: 3,
        },
        S("title", {}, `${item.label}: ${pct(item.value)} busy`),
      ),
    );
    svg.append(
      S("text", { x: labelW + barW + 8, y: y + rowH / 2 + 4, fill: COLORS.text }, pct(item.value)),
    );
  });
  svg.append(
    S("line", {
      x1: x(line),
      x2: x(line),
      y1: top - 4,
      y2: height - 22,
      stroke: COLORS.axis,
      "stroke-dasharray": "4 3",
    }),
  );
  return svg;
}

function timeLabel(seconds, span) {
  if (span >= 180) return `${Number((seconds / 60).toFixed(1))} min`;
  return `${Number(seconds.toFixed(seconds < 10 && span < 20 ? 1 : 0))} s`;
}

// The simulation over time: p99 (and p50) latency as lines on the left axis, errors per
// bucket as stacked bars on the right axis, and the scripted failure windows shaded.
export function timelineChart(timeline, failures = [], { width = 900, height = 280 } = {}) {
  const m = { left: 64, right: 56, top: 30, bottom: 40 };
  const w = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const t0 = Math.min(...timeline.map((b) => b.start_s));
  const t1 = Math.max(...timeline.map((b) => b.end_s));
  const span = Math.max(1e-9, t1 - t0);
  const errorsOf = (b) => {
    const e = b.errors || {};
    return {
      timeout: e.timeout || 0,
      rejected: e.rejected || 0,
      failed: e.failed || 0,
    };
  };
  const errTotal = (b) => Object.values(errorsOf(b)).reduce((a, c) => a + c, 0);
  const p99s = timeline
    .map((b) => b.p99_ms)
    .filter((v) => typeof v === "number" && Number.isFinite(v));
  const latencyTicks = niceTicks(Math.max(1e-3, ...p99s), 5);
  const latencyMax = latencyTicks[latencyTicks.length - 1];
  const maxErr = Math.max(0, ...timeline.map(errTotal));
  const errTicks = niceTicks(Math.max(1, maxErr), 4)
    .map(Math.round)
    .filter((v, i, a) => a.indexOf(v) === i);
  const errMax = errTicks[errTicks.length - 1];
  const x = (t) => m.left + (w * (t - t0)) / span;
  const yL = (v) => m.top + ph - (ph * v) / latencyMax;
  const yE = (v) => m.top + ph - (ph * v) / errMax;

  const worst = p99s.length ? Math.max(...p99s) : null;
  const totalErrors = timeline.reduce((a, b) => a + errTotal(b), 0);
  const windows = failures.filter((f) => typeof f.at_s === "number");
  const desc =
    `${timeline.length} buckets over ${timeLabel(span, span)}. Worst p99 ${fmtMs(worst)}; ` +
    `${totalErrors.toLocaleString("en-US")} errors in all.` +
    (windows.length ? ` Shaded: ${windows.map((f) => f.label).join("; ")}.` : "");
  const svg = frame(width, height, "Latency and errors over the simulated run", desc);

  // failure windows first, under everything
  windows.forEach((f) => {
    const a = Math.max(t0, f.at_s);
    const b = Math.min(t1, typeof f.end_s === "number" ? f.end_s : t1);
    if (!(b > a)) return;
    svg.append(
      S(
        "rect",
        {
          x: x(a),
          y: m.top,
          width: Math.max(2, x(b) - x(a)),
          height: ph,
          fill: COLORS.failure,
          "fill-opacity": 0.13,
          class: "failure-window",
        },
        S("title", {}, `${f.label}: ${timeLabel(a, span)} – ${timeLabel(b, span)}`),
      ),
    );
    svg.append(
      S("line", {
        x1: x(a),
        x2: x(a),
        y1: m.top,
        y2: m.top + ph,
        stroke: COLORS.failure,
        "stroke-opacity": 0.5,
      }),
    );
    // about 6 px a character at 11 px; a narrow window still gets a few words
    const room = Math.max(14, Math.floor((x(t1) - x(a)) / 6.2));
    const label = f.label.length > room ? `${f.label.slice(0, room - 1)}…` : f.label;
    svg.append(
      S("text", { x: x(a) + 4, y: m.top - 8, fill: COLORS.failure, "font-size": 11 }, label),
    );
  });

  // grid and axes
  latencyTicks.forEach((v) => {
    svg.append(
      S("line", {
        x1: m.left,
        x2: m.left + w,
        y1: yL(v),
        y2: yL(v),
        stroke: COLORS.grid,
      }),
    );
    svg.append(
      S(
        "text",
        {
          x: m.left - 8,
          y: yL(v) + 4,
          "text-anchor": "end",
          fill: COLORS.axis,
        },
        fmtMs(v),
      ),
    );
  });
  errTicks.forEach((v) => {
    svg.append(
      S("text", { x: m.left + w + 8, y: yE(v) + 4, fill: COLORS.axis }, v.toLocaleString("en-US")),
    );
  });
  // Round ticks in the unit the labels use: minutes past three minutes, else seconds.
  const perUnit = span >= 180 ? 60 : 1;
  niceTicks(span / perUnit, 8).forEach((u) => {
    const v = u * perUnit;
    if (v > span + 1e-9) return;
    svg.append(
      S("line", {
        x1: x(t0 + v),
        x2: x(t0 + v),
        y1: m.top + ph,
        y2: m.top + ph + 5,
        stroke: COLORS.axis,
      }),
    );
    svg.append(
      S(
        "text",
        {
          x: x(t0 + v),
          y: m.top + ph + 18,
          "text-anchor": "middle",
          fill: COLORS.axis,
        },
        timeLabel(t0 + v, span),
      ),
    );
  });
  svg.append(
    S("line", {
      x1: m.left,
      x2: m.left + w,
      y1: m.top + ph,
      y2: m.top + ph,
      stroke: COLORS.axis,
    }),
  );
  svg.append(
    S(
      "text",
      {
        x: 14,
        y: m.top + ph / 2,
        fill: COLORS.axis,
        transform: `rotate(-90 14 ${m.top + ph / 2})`,
        "text-anchor": "middle",
      },
      "latency",
    ),
  );
  svg.append(
    S(
      "text",
      {
        x: width - 10,
        y: m.top + ph / 2,
        fill: COLORS.axis,
        transform: `rotate(90 ${width - 10} ${m.top + ph / 2})`,
        "text-anchor": "middle",
      },
      "errors per bucket",
    ),
  );
  svg.append(
    S(
      "text",
      {
        x: m.left + w / 2,
        y: height - 4,
        "text-anchor": "middle",
        fill: COLORS.axis,
      },
      "simulated time",
    ),
  );

  // error bars, stacked by cause
  timeline.forEach((b) => {
    const e = errorsOf(b);
    let base = 0;
    const bw = Math.max(1, x(b.end_s) - x(b.start_s) - 1);
    for (const cause of ["timeout", "rejected", "failed"]) {
      if (!e[cause]) continue;
      svg.append(
        S(
          "rect",
          {
            x: x(b.start_s) + 0.5,
            y: yE(base + e[cause]),
            width: bw,
            height: yE(base) - yE(base + e[cause]),
            fill: COLORS[cause],
            "fill-opacity": 0.75,
          },
          S(
            "title",
            {},
            `${timeLabel(b.start_s, span)}: ${e[cause].toLocaleString("en-US")} ${cause}`,
          ),
        ),
      );
      base += e[cause];
    }
  });

  // latency lines; a bucket with nothing completed breaks the line
  const path = (key) => {
    let d = "";
    let pen = false;
    timeline.forEach((b) => {
      const v = b[key];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      const px = x((b.start_s + b.end_s) / 2).toFixed(1);
      d += `${pen ? "L" : "M"}${px} ${yL(v).toFixed(1)} `;
      pen = true;
    });
    return d.trim();
  };
  svg.append(
    S("path", {
      d: path("p50_ms"),
      fill: "none",
      stroke: COLORS.p50,
      "stroke-width": 1.5,
      "stroke-dasharray": "5 3",
    }),
  );
  svg.append(
    S("path", {
      d: path("p99_ms"),
      fill: "none",
      stroke: COLORS.p99,
      "stroke-width": 2,
      class: "p99-line",
    }),
  );
  return svg;
}

// A legend as HTML (it wraps and reads better than SVG text).
export function legend(entries) {
  return h(
    "ul",
    { class: "legend" },
    entries.map((e) =>
      h(
        "li",
        {},
        h("span", {
          class: `swatch swatch-${e.shape || "box"}`,
          style: `--swatch:${e.color}`,
          "aria-hidden": "true",
        }),
        e.label,
      ),
    ),
  );
}
