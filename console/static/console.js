// The console's keyboard and small interactions. Served from /static: the CSP forbids inline script.
"use strict";
(function () {
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function flash(text) {
    const box = document.getElementById("flash");
    if (box) { box.textContent = text; }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: body ? JSON.stringify(body) : null,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(typeof data.detail === "string" ? data.detail : response.statusText); }
    return data;
  }

  // Selects that submit their form on change (the language switch, the queue's filters).
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit();
    }
  });

  // Character counter of the draft editor: code points, URLs as 23 on X.
  function measure(text, platform) {
    if (platform === "x") { text = text.replace(/https?:\/\/\S+/g, "x".repeat(23)); }
    return Array.from(text).length;
  }
  const editor = document.getElementById("draft-text");
  const counter = document.getElementById("char-count");
  if (editor && counter) {
    const form = editor.form;
    const limit = Number(form.dataset.limit);
    const update = () => {
      const n = measure(editor.value, form.dataset.platform);
      counter.textContent = String(n);
      counter.classList.toggle("over", n > limit);
    };
    editor.addEventListener("input", update);
  }

  // The queue: j/k move, Enter opens, a/e/r/x act on the selected case, / searches, ? helps.
  const rows = Array.from(document.querySelectorAll("#queue tbody tr"));
  let current = rows.length ? 0 : -1;
  function select(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("selected", i === current));
    rows[current].focus({ preventScroll: true });
    rows[current].scrollIntoView({ block: "nearest" });
  }
  if (rows.length) { select(0); }

  async function act(kind) {
    const row = rows[current];
    if (!row) { return; }
    const reply = row.dataset.reply;
    try {
      if (kind === "approve" || kind === "reject") {
        if (!reply) { flash(row.dataset.noDraft || "no draft on this case"); return; }
        await post(`/api/v1/replies/${reply}/${kind}`);
      } else if (kind === "resolve") {
        await post(`/api/v1/cases/${row.dataset.case}/resolve`);
      }
      row.classList.add("done-" + kind);
      flash(`${row.querySelector("a").textContent}: ${kind}`);
      delete row.dataset.reply;
    } catch (error) {
      flash(error.message);
    }
  }

  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const help = document.getElementById("keys-help");
    if (event.key === "?") { event.preventDefault(); help.showModal(); return; }
    if (event.key === "/") {
      const search = document.getElementById("search");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if (!rows.length) { return; }
    const keys = {
      j: () => select(current + 1),
      k: () => select(current - 1),
      Enter: () => { window.location.href = rows[current].dataset.href; },
      e: () => { window.location.href = rows[current].dataset.href + "#draft-text"; },
      a: () => act("approve"),
      r: () => act("reject"),
      x: () => act("resolve"),
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });

  if (editor && window.location.hash === "#draft-text") { editor.focus(); }
})();
