// Completion for design YAML from the language's JSON Schema, small enough to ship.
//
// Why not codemirror-json-schema: its YAML mode works, but it bundles shiki and markdown-it
// for hover text and makes the editor bundle about 1.1 MB instead of about 0.4 MB.
//
// What it does: finds the key path at the cursor from indentation, dashes and any open
// flow mapping on the current line ({kind: service, repl|), walks the schema along it
// ($ref, anyOf/oneOf, properties, additionalProperties, items) and offers the keys there,
// or a key's enum values, const and examples. Where a flow step or a failure target is
// expected it offers the document's own component names (and component.operation).

const STEP_KEYS = new Set(["steps", "on_miss", "parallel", "branches"]);
const TARGET_KEYS = new Set(["kill", "slow", "flush"]);

// One line, split into its dashes and its key: "  - cache: {hit: 90%}" -> indent 2,
// dash columns [2], key "cache" at column 4, rest "{hit: 90%}".
function splitLine(text) {
  const m = /^( *)((?:- +)*)(.*)$/.exec(text);
  const indent = m[1].length;
  const dashes = [];
  let col = indent;
  for (const d of m[2].match(/- +/g) || []) {
    dashes.push(col);
    col += d.length;
  }
  const km = /^([\w.-]+|"[^"]*"|'[^']*'):(?:\s+(.*)|$)/.exec(m[3]);
  return {
    indent,
    dashes,
    keyCol: col,
    key: km ? km[1].replace(/^["']|["']$/g, "") : null,
    rest: km ? (km[2] || "").replace(/\s+#.*$/, "") : m[3],
  };
}

function isBlank(text) {
  return /^\s*(#.*)?$/.test(text);
}

// The block path of the node that starts at column `col` on line `lineNo` (1-based), going
// up through the lines above. "[]" stands for "an item of this sequence".
function blockPath(doc, lineNo, col, startsWithDash) {
  const path = [];
  for (let n = lineNo - 1; n >= 1 && (col > 0 || startsWithDash); n--) {
    const text = doc.line(n).text;
    if (isBlank(text)) continue;
    const l = splitLine(text);
    // A sequence may sit at its key's own indentation ("steps:\n- lb").
    const parentKey = l.key && (l.keyCol < col || (startsWithDash && l.keyCol === col && !l.rest));
    if (parentKey) {
      path.unshift(l.key);
      for (let i = l.dashes.length - 1; i >= 0; i--) path.unshift("[]");
      col = l.indent;
      startsWithDash = l.dashes.length > 0;
      continue;
    }
    const inner = l.dashes.filter((d) => d < col);
    if (inner.length) {
      for (let i = inner.length - 1; i >= 0; i--) path.unshift("[]");
      col = l.indent;
      startsWithDash = true;
      continue;
    }
    if (l.indent < col) break; // a scalar continuation or something we do not follow
  }
  return path;
}

// Inside an unclosed flow collection on the current line: the keys of each open "{" and
// "[]" for each open "[", and the text after the innermost opening or comma.
function flowContext(prefix) {
  const stack = [];
  let lastKey = null;
  let tokenStart = -1;
  let quote = null;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "{" || c === "[") {
      stack.push({ open: c, key: lastKey });
      lastKey = null;
      tokenStart = i + 1;
    } else if (c === "}" || c === "]") {
      stack.pop();
      lastKey = null;
    } else if (c === ",") {
      lastKey = null;
      tokenStart = i + 1;
    } else if (c === ":" && stack.length) {
      const m = /([\w.-]+)\s*$/.exec(prefix.slice(tokenStart, i));
      lastKey = m ? m[1] : null;
    } else if (c === ":") {
      const m = /([\w.-]+)\s*$/.exec(prefix.slice(0, i));
      lastKey = m ? m[1] : null;
    }
  }
  if (!stack.length) return null;
  const path = [];
  for (const s of stack) {
    if (s.key) path.push(s.key);
    if (s.open === "[") path.push("[]");
  }
  return { path, token: prefix.slice(tokenStart), inList: stack[stack.length - 1].open === "[" };
}

function resolver(root) {
  const lookup = (ref) =>
    ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((o, k) => (o ? o[k] : undefined), root);
  const variants = (s, seen = 0) => {
    if (!s || typeof s !== "object" || seen > 20) return [];
    if (s.$ref) return variants(lookup(s.$ref), seen + 1);
    const alts = s.anyOf || s.oneOf;
    if (alts) return alts.flatMap((a) => variants(a, seen + 1));
    return [s];
  };
  const child = (schemas, seg) =>
    schemas.flatMap((v) => {
      if (seg === "[]") return v.items ? variants(v.items) : [];
      if (v.properties && v.properties[seg]) return variants(v.properties[seg]);
      if (v.additionalProperties && typeof v.additionalProperties === "object")
        return variants(v.additionalProperties);
      return [];
    });
  const at = (path) => path.reduce((schemas, seg) => child(schemas, seg), variants(root));
  return { at, child };
}

// Component names and component.operation, read from the document's components: block.
function componentNames(doc) {
  const lines = [];
  for (let n = 1; n <= doc.lines; n++) lines.push(doc.line(n).text);
  const start = lines.findIndex((t) => /^components:\s*(#.*)?$/.test(t));
  if (start < 0) return [];
  const indentOf = (t) => /^ */.exec(t)[0].length;
  const body = [];
  for (const t of lines.slice(start + 1)) {
    if (isBlank(t)) continue;
    if (indentOf(t) === 0) break;
    body.push(t);
  }
  if (!body.length) return [];
  const childIndent = indentOf(body[0]);
  const components = [];
  body.forEach((t) => {
    const m = /^ *([\w-]+):/.exec(t);
    if (indentOf(t) === childIndent && m) components.push({ name: m[1], lines: [] });
    if (components.length) components[components.length - 1].lines.push(t);
  });
  return components.flatMap((c) => {
    const ops = [];
    c.lines.forEach((t, i) => {
      const inline = /operations:\s*\{([^}]*)\}/.exec(t);
      if (inline) for (const k of inline[1].matchAll(/([\w-]+)\s*:/g)) ops.push(k[1]);
      if (!/^ *operations:\s*(#.*)?$/.test(t)) return;
      const below = c.lines.slice(i + 1);
      const base = indentOf(t);
      const at = below.length ? indentOf(below[0]) : base;
      for (const b of below) {
        if (indentOf(b) <= base) break;
        const k = /^ *([\w-]+):/.exec(b);
        if (indentOf(b) === at && k) ops.push(k[1]);
      }
    });
    return [
      { label: c.name, type: "variable", detail: "component" },
      ...ops.map((op) => ({ label: `${c.name}.${op}`, type: "variable", detail: "operation" })),
    ];
  });
}

// What a scripted failure can name: a component; kill also takes .primary and .replica.
function failureTargets(doc, key) {
  const components = componentNames(doc).filter((o) => o.detail === "component");
  if (key !== "kill") return components;
  return components.flatMap((c) => [
    c,
    { label: `${c.label}.primary`, type: "variable", detail: "its primary" },
    { label: `${c.label}.replica`, type: "variable", detail: "one replica" },
  ]);
}

function keyOptions(schemas) {
  const seen = new Set();
  const options = [];
  for (const v of schemas) {
    for (const [name, prop] of Object.entries(v.properties || {})) {
      if (seen.has(name)) continue;
      seen.add(name);
      const description =
        prop.description || (prop.anyOf || []).map((a) => a.description).find(Boolean);
      options.push({
        label: name,
        type: "property",
        apply: `${name}: `,
        detail:
          prop.title && prop.title.toLowerCase() !== name.replace(/_/g, " ")
            ? prop.title
            : undefined,
        info: description,
      });
    }
  }
  return options;
}

function valueOptions(schemas) {
  const seen = new Set();
  const options = [];
  const add = (label, type, info) => {
    const text = String(label);
    if (seen.has(text)) return;
    seen.add(text);
    options.push({ label: text, type, info });
  };
  for (const v of schemas) {
    for (const e of v.enum || []) add(e, "enum", v.description);
    if (v.const !== undefined && typeof v.const !== "number")
      add(v.const, "constant", v.description);
    for (const e of v.examples || []) add(e, "text", v.description);
    if (v.type === "boolean") ["true", "false"].forEach((b) => add(b, "keyword"));
  }
  return options;
}

export function schemaCompletions(schema) {
  const { at } = resolver(schema);
  return (context) => {
    const { state, pos } = context;
    const line = state.doc.lineAt(pos);
    const prefix = line.text.slice(0, pos - line.from);
    if (/#/.test(prefix.replace(/(["']).*?\1/g, ""))) return null; // in a comment

    const l = splitLine(prefix);
    const flow = flowContext(prefix);
    let path;
    let token;
    let inList;
    if (flow) {
      const startCol = l.dashes.length ? l.dashes[0] : l.keyCol;
      path = blockPath(state.doc, line.number, startCol, l.dashes.length > 0);
      for (let i = 0; i < l.dashes.length; i++) path.push("[]");
      path.push(...flow.path); // it begins with the line's own key, if any
      token = flow.token;
      inList = flow.inList;
    } else {
      const startCol = l.dashes.length ? l.dashes[0] : l.keyCol;
      path = blockPath(state.doc, line.number, startCol, l.dashes.length > 0);
      for (let i = 0; i < l.dashes.length; i++) path.push("[]");
      token = l.key !== null ? `${l.key}: ${l.rest}` : l.rest;
      inList = l.dashes.length > 0;
    }

    const valueMatch = /^\s*([\w.-]+):\s+([^\s,{}\[\]]*)$/.exec(token);
    const keyMatch = /^\s*([\w.%/-]*)$/.exec(token);
    const last = path[path.length - 1];
    const parentKey = [...path].reverse().find((s) => s !== "[]");
    let options;
    let word;
    if (valueMatch) {
      word = valueMatch[2];
      const key = valueMatch[1];
      options = TARGET_KEYS.has(key)
        ? failureTargets(state.doc, key)
        : valueOptions(at([...path, key]));
    } else if (keyMatch) {
      word = keyMatch[1];
      const here = at(path);
      options = keyOptions(here);
      if (inList && last === "[]" && STEP_KEYS.has(parentKey))
        options = [...componentNames(state.doc), ...options];
      else if (!options.length) options = valueOptions(here);
    } else {
      return null;
    }
    if (!options.length) return null;
    // Unasked, offer values right after "key: " but keys only once a letter is typed.
    if (!word && !context.explicit && !valueMatch) return null;
    return { from: pos - word.length, options, validFor: /^[\w.%/-]*$/ };
  };
}
