"use strict";
// Renders the review report's pages from the JSON blob, a screen at a time. Page text is only
// ever set with textContent: nothing from a page is parsed as markup.
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const pages = data.pages, reasons = data.reasons, perScreen = data.perScreen;
  const state = { statuses: new Set(), pageReason: "", encoding: "", hiddenLines: new Set(), screen: 0 };
  let shown = [];

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }
  const reasonName = (code) => (code === 0 ? "article" : reasons[code - 1]);
  const pageReasons = (page) => {
    const found = new Set(page.lines.filter((l) => l[0] !== 0).map((l) => reasons[l[0] - 1]));
    if (page.reason) found.add(page.reason);
    return found;
  };

  const statuses = [...new Set(pages.map((p) => String(p.status)))].sort();
  statuses.forEach((s) => state.statuses.add(s));
  const reasonSets = pages.map(pageReasons);
  const allPageReasons = [...new Set(reasonSets.flatMap((set) => [...set]))].sort();
  const encodings = [...new Set(pages.map((p) => p.encoding.detected).filter(Boolean))].sort();

  // Filters: which pages (status, a reason, an encoding) and which lines (by reason).
  const form = document.getElementById("filters");
  form.addEventListener("submit", (event) => event.preventDefault());
  function checkbox(label, checked, onChange, attrs) {
    const input = el("input", Object.assign({ type: "checkbox" }, attrs));
    input.checked = checked;
    input.addEventListener("change", () => onChange(input.checked));
    return el("label", { class: "check" }, [input, document.createTextNode(" " + label)]);
  }
  function select(label, options, onChange, id) {
    const node = el("select", { id: id }, [el("option", { value: "", text: "any" })].concat(
      options.map((o) => el("option", { value: o, text: o }))));
    node.addEventListener("change", () => onChange(node.value));
    return el("label", {}, [document.createTextNode(label + " "), node]);
  }
  form.appendChild(el("fieldset", {}, [el("legend", { text: "Pages" })].concat(
    statuses.map((s) => checkbox(s, true, (on) => { on ? state.statuses.add(s) : state.statuses.delete(s); refilter(); },
      { "data-filter-status": s })),
    [select("with reason", allPageReasons, (v) => { state.pageReason = v; refilter(); }, "filter-page-reason"),
     select("encoding", encodings, (v) => { state.encoding = v; refilter(); }, "filter-encoding")])));
  const lineStyle = el("style", { id: "line-filter" });
  document.head.appendChild(lineStyle);
  function applyLineFilter() {
    lineStyle.textContent = [...state.hiddenLines].map((c) => `.lines li[data-r="${c}"]{display:none}`).join("\n");
    document.querySelectorAll("input[data-filter-line]").forEach((input) => {
      input.checked = !state.hiddenLines.has(Number(input.dataset.filterLine));
    });
  }
  const lineCodes = [0].concat(reasons.map((_, i) => i + 1));
  form.appendChild(el("fieldset", {}, [el("legend", { text: "Lines" })].concat(lineCodes.map((code) =>
    checkbox(reasonName(code), true, (on) => { on ? state.hiddenLines.delete(code) : state.hiddenLines.add(code); applyLineFilter(); },
      { "data-filter-line": String(code), class: code === 0 ? "" : "removed-check" })))));

  function refilter(keepScreen) {
    shown = [];
    pages.forEach((page, i) => {
      if (!state.statuses.has(String(page.status))) return;
      if (state.encoding && page.encoding.detected !== state.encoding) return;
      if (state.pageReason && !reasonSets[i].has(state.pageReason)) return;
      shown.push(i);
    });
    if (!keepScreen) state.screen = 0;
    render();
  }

  function pager(node) {
    node.replaceChildren();
    const screens = Math.max(1, Math.ceil(shown.length / perScreen));
    const first = state.screen * perScreen;
    const go = (screen) => { state.screen = screen; render(); node.scrollIntoView(); };
    const prev = el("button", { type: "button", text: "‹ previous" });
    prev.disabled = state.screen === 0;
    prev.addEventListener("click", () => go(state.screen - 1));
    const next = el("button", { type: "button", text: "next ›" });
    next.disabled = state.screen >= screens - 1;
    next.addEventListener("click", () => go(state.screen + 1));
    const where = shown.length ? `pages ${first + 1}–${Math.min(first + perScreen, shown.length)} of ${shown.length}`
      : "no page matches the filters";
    node.append(prev, el("span", { class: "where", text: ` ${where} (${pages.length} in all) ` }), next);
  }

  function field(dl, name, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.append(el("dt", { text: name }), el("dd", { text: Array.isArray(value) ? value.join("; ") : String(value) }));
  }

  function section(i) {
    const page = pages[i], at = shown.indexOf(i);
    const links = el("nav", { class: "links" });
    if (at > 0) links.append(el("a", { href: `#page-${shown[at - 1]}`, text: "← previous page" }));
    links.append(el("a", { href: "#pages", text: "index" }));
    if (at >= 0 && at < shown.length - 1) links.append(el("a", { href: `#page-${shown[at + 1]}`, text: "next page →" }));
    const status = String(page.status);
    const head = el("h3", {}, [el("span", { class: "num", text: `#${i + 1} ` }), el("span", { class: "name", text: page.name }),
      el("span", { class: `status status-${status === "normalised" ? "ok" : "bad"}`, text: status })]);
    const node = el("section", { class: "page", id: `page-${i}` }, [head, links]);
    if (status !== "normalised") {
      node.append(el("p", { class: "rejection" }, [el("b", { text: String(page.reason) }),
        document.createTextNode(page.detail ? `: ${page.detail}` : "")]));
    }
    const dl = el("dl");
    const [title, author, published, site, language, format] = page.meta;
    field(dl, "title", title); field(dl, "author", author); field(dl, "published", published);
    field(dl, "site", site); field(dl, "language", language); field(dl, "format", format);
    const enc = page.encoding;
    if (enc.detected) {
      let how = `${enc.detected}, decided by ${enc.method}`;
      if (enc.declared) how += `; declared ${enc.declared}`;
      if (enc.compression) how += `; compression ${enc.compression}`;
      field(dl, "encoding", how);
      field(dl, "evidence", enc.evidence);
    }
    field(dl, "mojibake", enc.mojibake_repaired ? "repaired" : "");
    field(dl, "fixes", enc.fixes);
    if (enc.undecodable_bytes) field(dl, "undecodable bytes", enc.undecodable_bytes);
    if (enc.control_characters_removed) field(dl, "control characters removed", enc.control_characters_removed);
    const st = page.stats;
    if (st.lines_in !== undefined) {
      field(dl, "lines", `${st.lines_in} in, ${st.lines_out} kept, ${st.lines_removed} removed`);
      field(dl, "bytes", `${st.bytes_in} in, ${st.bytes_out} out`);
    }
    node.append(dl);
    if (page.lines.length) {
      const list = el("ol", { class: "lines" });
      for (const [code, text] of page.lines) {
        if (code === 0) list.append(el("li", { "data-r": "0", text: text }));
        else list.append(el("li", { "data-r": String(code), class: "removed" },
          [el("del", { text: text }), el("span", { class: "tag", text: reasonName(code) })]));
      }
      node.append(list);
    } else node.append(el("p", { class: "none", text: "no line to show" }));
    return node;
  }

  function render() {
    pager(document.getElementById("pager"));
    pager(document.getElementById("pager2"));
    const slice = shown.slice(state.screen * perScreen, (state.screen + 1) * perScreen);
    const index = document.getElementById("index");
    index.replaceChildren(el("tr", {}, ["#", "page", "status", "reason", "removed", "title"].map((h) => el("th", { text: h }))));
    for (const i of slice) {
      const page = pages[i];
      index.append(el("tr", {}, [el("td", { class: "num", text: String(i + 1) }),
        el("td", {}, [el("a", { href: `#page-${i}`, text: page.name })]), el("td", { text: String(page.status) }),
        el("td", { text: page.reason || "" }), el("td", { class: "num", text: String(page.stats.lines_removed ?? "") }),
        el("td", { text: page.meta[0] || "" })]));
    }
    document.getElementById("sections").replaceChildren(...slice.map(section));
  }

  // A link to a page opens the screen that holds it, widening the filters if they hide it.
  function follow() {
    const match = /^#page-(\d+)$/.exec(location.hash);
    if (!match) return;
    const i = Number(match[1]);
    if (!(i < pages.length)) return;
    if (!shown.includes(i)) {
      statuses.forEach((s) => state.statuses.add(s));
      document.querySelectorAll("input[data-filter-status]").forEach((input) => { input.checked = true; });
      state.pageReason = state.encoding = "";
      document.getElementById("filter-page-reason").value = document.getElementById("filter-encoding").value = "";
      refilter();
    }
    const screen = Math.floor(shown.indexOf(i) / perScreen);
    if (screen !== state.screen || !document.getElementById(`page-${i}`)) { state.screen = screen; render(); }
    document.getElementById(`page-${i}`).scrollIntoView();
  }
  window.addEventListener("hashchange", follow);

  // The summary's counts filter the pages (status, reason, encoding) or the lines (a reason).
  document.getElementById("summary").addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const d = button.dataset;
    if (d.status !== undefined) {
      state.statuses = new Set([d.status]);
      document.querySelectorAll("input[data-filter-status]").forEach((input) => { input.checked = input.dataset.filterStatus === d.status; });
    }
    if (d.pageReason !== undefined || d.lineReason !== undefined) {
      state.pageReason = d.pageReason ?? d.lineReason;
      document.getElementById("filter-page-reason").value = state.pageReason;
    }
    if (d.lineReason !== undefined) {
      state.hiddenLines = new Set(lineCodes.filter((c) => reasonName(c) !== d.lineReason));
      applyLineFilter();
    }
    if (d.encoding !== undefined) {
      state.encoding = d.encoding;
      document.getElementById("filter-encoding").value = d.encoding;
    }
    refilter();
    document.getElementById("pages").scrollIntoView();
  });

  refilter();
  follow();
  document.body.dataset.ready = "1";
})();
