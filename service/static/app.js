// The reviewers' page of kiemdiem: paste or drop a report, show the schema-v1 result sentence by sentence.
// No framework, no build step, nothing from outside this server. Report text is only ever put into the page with
// textContent (never innerHTML) and is kept in memory only: nothing is written to storage except the chosen
// language and, for this tab only, the API token. Where the server keeps reviewers' feedback (GET /v1/config), each
// finding gets "Đúng" / "Không đúng" buttons and a note field, posted to /v1/feedback. With a collective report and/or
// last year's report added under "Đối chiếu", the report goes to /v1/compare and its cross-report findings show the
// other report's sentence beside their own.
(function () {
  "use strict";

  // Colour of a sentence with several categories: the most serious first (as in the HTML report).
  var PRIORITY = ["consistency", "cross_report", "accountability", "evasive", "generic", "completeness", "input", "specificity"];
  var MAIN = ["generic", "evasive", "accountability", "completeness", "consistency"];
  var FILTERS = MAIN.concat(["cross_report", "specificity", "input"]);
  // the other reports a report may be compared with (POST /v1/compare), in the order of the form
  var PARTS = ["collective", "previous"];
  var SCORES = ["overall", "specificity", "candor", "accountability", "completeness"];
  var WHOLE_SENTENCE_SHARE = 0.9;

  var state = {
    lang: "vi",
    page: null, // i18n.json
    labels: null, // GET /v1/labels
    limits: { max_file_bytes: 20 * 1024 * 1024 },
    token: null,
    file: null,
    result: null,
    pendingRetry: null,
    activeSentence: null,
    busy: false,
    feedback: false, // GET /v1/config: does this server keep reviewers' decisions?
    others: { collective: null, previous: null }, // files chosen under "Đối chiếu"
    compare: null, // the last POST /v1/compare answer less its result (files, notes, linkage, rows)
    compared: null, // the other reports that comparison was given ([{part, file}] or [{part, text}]), for feedback
  };

  function $(id) { return document.getElementById(id); }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  // Page words (i18n.json) first, then the renderers' interface strings (GET /v1/labels).
  function t(key, values) {
    var page = state.page && state.page[state.lang];
    if (page && page[key] !== undefined) { return fill(page[key], values); }
    var ui = state.labels && state.labels.render && state.labels.render.ui;
    var entry = ui && ui[key];
    if (entry && typeof entry === "object") {
      return fill(entry[state.lang] || entry.vi || "", values);
    }
    return "";
  }

  function label(group, key) {
    var groupMap = state.labels && state.labels.labels && state.labels.labels[group];
    var entry = groupMap && groupMap[key];
    if (!entry) { return key; }
    return entry[state.lang] || entry.vi || key;
  }

  function renderGroup(group, key) {
    var groupMap = state.labels && state.labels.render && state.labels.render[group];
    var entry = groupMap && groupMap[key];
    if (entry === undefined || entry === null) { return ""; }
    if (typeof entry === "string") { return entry; }
    return entry[state.lang] || entry.vi || "";
  }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) { return; }
        if (name === "text") { node.textContent = value; }
        else if (name === "className") { node.className = value; }
        else if (name === "width") { node.style.width = value; } // CSSOM: allowed by the page's CSP, unlike style=""
        else { node.setAttribute(name, value === true ? "" : String(value)); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) { continue; }
      if (Array.isArray(child)) { child.forEach(function (c) { if (c) { node.appendChild(c); } }); }
      else if (typeof child === "string") { node.appendChild(document.createTextNode(child)); }
      else { node.appendChild(child); }
    }
    return node;
  }

  function formatNumber(value) {
    var rounded = Math.round(value * 10) / 10;
    var text = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
    return state.lang === "vi" ? text.replace(".", ",") : text;
  }

  function formatSize(bytes) {
    if (bytes < 1024) { return bytes + " B"; }
    if (bytes < 1024 * 1024) { return formatNumber(bytes / 1024) + " KB"; }
    return formatNumber(bytes / 1024 / 1024) + " MB";
  }

  function snippet(text, limit) {
    var flat = text.replace(/\s+/g, " ").trim();
    return flat.length <= limit ? flat : flat.slice(0, limit - 1).trim() + "…";
  }

  // ------------------------------------------------------------------ status and errors

  function setStatus(message) {
    $("status").textContent = message || "";
  }

  function showError(message, code) {
    var box = $("error");
    box.textContent = "";
    if (!message) { box.hidden = true; return; }
    box.appendChild(el("strong", { text: message }));
    if (code) { box.appendChild(el("span", { className: "code", text: " (" + t("error_code") + ": " + code + ")" })); }
    box.hidden = false;
  }

  // An API error in the page's language: the server sends both.
  function apiErrorMessage(body, status) {
    var error = body && body.error;
    if (!error) { return { message: t("err_unknown", { status: status }), code: null }; }
    var message = state.lang === "en" ? error.message_en : error.message_vi;
    if (error.part) { message = t("part_" + error.part) + ": " + message; }
    if (error.detail && error.code !== "KD-A004") { message += " [" + error.detail + "]"; }
    return { message: message, code: error.code };
  }

  // ------------------------------------------------------------------ requests

  function authHeaders(extra) {
    var headers = extra || {};
    if (state.token) { headers.Authorization = "Bearer " + state.token; }
    return headers;
  }

  async function api(path, options) {
    options = options || {};
    options.headers = authHeaders(options.headers);
    options.cache = "no-store";
    var response;
    try {
      response = await fetch(path, options);
    } catch (err) {
      return { ok: false, network: true };
    }
    if (response.status === 401) {
      return { ok: false, unauthorized: true, status: 401 };
    }
    if (!response.ok) {
      var body = null;
      try { body = await response.json(); } catch (err) { body = null; }
      return { ok: false, status: response.status, body: body };
    }
    return { ok: true, response: response };
  }

  function handleFailure(outcome, retry) {
    if (outcome.network) { showError(t("err_network")); setStatus(""); return; }
    if (outcome.unauthorized) {
      state.pendingRetry = retry;
      $("token-box").hidden = false;
      $("token-input").focus();
      var err = apiErrorMessage(null, 401);
      showError(t("token_needed") || err.message, "KD-A005");
      setStatus("");
      return;
    }
    var info = apiErrorMessage(outcome.body, outcome.status);
    showError(info.message, info.code);
    setStatus("");
  }

  async function loadLabels() {
    var outcome = await api("/v1/labels");
    if (!outcome.ok) { handleFailure(outcome, loadLabels); return false; }
    state.labels = await outcome.response.json();
    var version = await api("/v1/version");
    if (version.ok) {
      var info = await version.response.json();
      if (info.limits) { state.limits = info.limits; }
    }
    var config = await api("/v1/config");
    if (config.ok) {
      var server = await config.response.json();
      state.feedback = !!(server.feedback && server.feedback.enabled);
    }
    applyLanguage();
    return true;
  }

  // ------------------------------------------------------------------ language

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.title = t("doc_title");
    var mb = Math.round(state.limits.max_file_bytes / 1024 / 1024);
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      var text = t(node.getAttribute("data-i18n"), { mb: mb });
      if (text) { node.textContent = text; }
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder")));
    });
    var mode = $("feedback-mode");
    mode.textContent = state.labels ? t(state.feedback ? "fb_on" : "fb_off") : "";
    mode.hidden = !state.labels;
    PARTS.forEach(showOther);
    var toggle = $("lang-toggle");
    toggle.textContent = t("lang_switch");
    toggle.setAttribute("aria-label", t("lang_switch_label"));
    toggle.setAttribute("lang", state.lang === "vi" ? "en" : "vi");
    showFile();
  }

  async function toggleLanguage() {
    state.lang = state.lang === "vi" ? "en" : "vi";
    try { localStorage.setItem("kiemdiem.lang", state.lang); } catch (err) { /* private mode */ }
    applyLanguage();
    showError("");
    // Findings' explanations come from the server in the analysis language: analyse again in the new one.
    if (state.result) { await analyse(); }
  }

  // ------------------------------------------------------------------ input

  function showFile() {
    var info = $("file-info");
    if (!state.file) { info.hidden = true; $("file-name").textContent = ""; return; }
    $("file-name").textContent = t("file_chosen", { name: state.file.name, size: formatSize(state.file.size) });
    info.hidden = false;
  }

  function chooseFile(file) {
    if (!file) { return; }
    state.file = file;
    showFile();
    showError("");
    if (file.size > state.limits.max_file_bytes) {
      showError(t("too_big", { mb: Math.round(state.limits.max_file_bytes / 1024 / 1024) }), "KD-E003");
      return;
    }
    analyse();
  }

  function removeFile() {
    state.file = null;
    $("file-input").value = "";
    showFile();
    $("report-text").focus();
  }

  // ------------------------------------------------------------------ input: the reports to compare with

  function showOther(part) {
    var file = state.others[part];
    $("cmp-" + part + "-info").hidden = !file;
    $("cmp-" + part + "-name").textContent = file ? t("file_chosen", { name: file.name, size: formatSize(file.size) }) : "";
  }

  function chooseOther(part, file) {
    if (!file) { return; }
    state.others[part] = file;
    showOther(part);
    showError("");
    if (file.size > state.limits.max_file_bytes) {
      var mb = Math.round(state.limits.max_file_bytes / 1024 / 1024);
      showError(t("part_" + part) + ": " + t("too_big", { mb: mb }), "KD-E003");
    }
  }

  function removeOther(part) {
    state.others[part] = null;
    $("cmp-" + part + "-file").value = "";
    showOther(part);
    $("cmp-" + part + "-text").focus();
  }

  // The other reports given: [{part, file}] or [{part, text}], a chosen file before a pasted text.
  function otherReports() {
    var given = [];
    PARTS.forEach(function (part) {
      var text = $("cmp-" + part + "-text").value;
      if (state.others[part]) { given.push({ part: part, file: state.others[part] }); }
      else if (text.trim()) { given.push({ part: part, text: text }); }
    });
    return given;
  }

  function clearAll() {
    removeFile();
    PARTS.forEach(function (part) { removeOther(part); $("cmp-" + part + "-text").value = ""; });
    state.compare = null;
    state.compared = null;
    $("report-text").value = "";
    state.result = null;
    $("results").hidden = true;
    $("result-top").textContent = "";
    $("result-toolbar").textContent = "";
    $("report").textContent = "";
    showError("");
    setStatus("");
  }

  async function analyse() {
    if (state.busy) { return; }
    var text = $("report-text").value;
    if (!state.file && !text.trim()) {
      showError(t("nothing"));
      $("report-text").focus();
      return;
    }
    var others = otherReports();
    var options = { method: "POST" };
    if (others.length) {  // a comparison: always multipart, each other report a file or a text field
      var parts = new FormData();
      if (state.file) { parts.append("file", state.file, state.file.name); } else { parts.append("text", text); }
      others.forEach(function (other) {
        if (other.file) { parts.append(other.part, other.file, other.file.name); } else { parts.append(other.part, other.text); }
      });
      parts.append("lang", state.lang);
      options.body = parts;
    } else if (state.file) {
      var form = new FormData();
      form.append("file", state.file, state.file.name);
      form.append("lang", state.lang);
      options.body = form;
    } else {
      options.headers = { "Content-Type": "application/json" };
      options.body = JSON.stringify({ text: text, lang: state.lang });
    }
    state.busy = true;
    $("analyze-btn").disabled = true;
    $("input-panel").setAttribute("aria-busy", "true");
    showError("");
    setStatus(t(others.length ? "cmp_analysing" : "analysing"));
    var began = performance.now();
    try {
      var outcome = await api((others.length ? "/v1/compare" : "/v1/analyze") + "?lang=" + state.lang, options);
      if (!outcome.ok) { handleFailure(outcome, analyse); return; }
      var answer = await outcome.response.json();
      var result = others.length ? answer.result : answer;
      state.compare = others.length ? answer : null;
      state.compared = others.length ? others : null;  // a cross finding's decision sends them again
      state.result = result;
      renderResult(result);
      var flagged = document.querySelectorAll("#report .s.flag.problem").length;
      var seconds = formatNumber((performance.now() - began) / 1000);
      setStatus(t("analysed", { secs: seconds, flagged: flagged, findings: result.findings.length }));
      $("results").scrollIntoView({ block: "start" });
      $("result-title").focus({ preventScroll: true });
    } finally {
      state.busy = false;
      $("analyze-btn").disabled = false;
      $("input-panel").removeAttribute("aria-busy");
    }
  }

  // ------------------------------------------------------------------ result model

  function sentenceAt(result, offset) {
    var sentences = result.sentences;
    for (var i = 0; i < sentences.length; i++) {
      if (sentences[i].start <= offset && offset < sentences[i].end) { return i; }
    }
    return null;
  }

  // Per sentence: categories (labels + findings' categories), findings, and the number of its note.
  function buildView(result) {
    var per = result.sentences.map(function () { return { findings: [], categories: {} }; });
    var reportLevel = [];
    result.findings.forEach(function (finding, index) {
      var item = { finding: finding, index: index };
      if (finding.sentence === null || finding.sentence === undefined || !per[finding.sentence]) {
        reportLevel.push(item);
        return;
      }
      per[finding.sentence].findings.push(item);
      per[finding.sentence].categories[finding.category] = true;
    });
    result.sentences.forEach(function (sentence, i) {
      (sentence.labels || []).forEach(function (lab) { per[i].categories[lab] = true; });
    });
    var number = 0;
    per.forEach(function (entry, i) {
      entry.list = PRIORITY.filter(function (c) { return entry.categories[c]; });
      entry.problem = entry.list.some(function (c) { return MAIN.indexOf(c) >= 0 || c === "cross_report"; });
      entry.flag = (entry.list.length > 0 && !result.sentences[i].structural) || entry.findings.length > 0;
      if (entry.flag) { number += 1; entry.number = number; }
    });
    return { per: per, reportLevel: reportLevel };
  }

  // ------------------------------------------------------------------ rendering: top cards

  function band(value) {
    var cut = (state.labels && state.labels.score_cutoffs) || { adequate: 50, strong: 80 };
    if (value >= cut.strong) { return "strong"; }
    if (value >= cut.adequate) { return "adequate"; }
    return "weak";
  }

  function fact(name, value, options) {
    options = options || {};
    if (!value && !options.none) { return null; }
    return el("div", { className: options.key ? "fact key" : "fact" },
      el("dt", { text: name }),
      el("dd", null, options.none ? el("span", { className: "none", text: options.none }) : value,
        options.sub ? el("span", { className: "fact-sub", text: options.sub }) : null));
  }

  function formText(result) {
    if (!result.form || result.form === "unknown") { return t("form_unknown") || label("roles", "unknown"); }
    return t("form_code", { code: result.form }) || result.form;
  }

  function goToSentence(index) {
    var node = $("s-" + index);
    if (!node) { return; }
    node.scrollIntoView({ block: "center" });
    if (!node.hasAttribute("tabindex")) { node.setAttribute("tabindex", "-1"); }
    if (node.classList.contains("flag")) { activate(index, false); }
    node.focus({ preventScroll: true });
  }

  function sentenceRefs(result, view, spans) {
    var seen = {};
    var items = [];
    spans.forEach(function (span) {
      var index = sentenceAt(result, span.start);
      if (index === null || seen[index]) { return; }
      seen[index] = true;
      var sentence = result.sentences[index];
      var link = el("a", { href: "#s-" + index, "data-goto": index },
        el("q", { text: snippet(result.text.slice(sentence.start, sentence.end), 110) }));
      var num = view.per[index].number;
      items.push(el("li", null, link, num ? el("span", { className: "ref-n", text: " [" + num + "]" }) : null));
    });
    return items.length ? el("ul", { className: "refs" }, items) : null;
  }

  function findingItem(finding, goto, index) {
    var classes = "f" + (finding.review ? " review-" + finding.review : "");
    var item = el("li", { className: classes, "data-category": finding.category, "data-rule": finding.rule, "data-f": index },
      el("span", { className: "chip c-" + finding.category, text: label("categories", finding.category) }),
      el("span", { className: "sev sev-" + finding.severity, text: label("severities", finding.severity) }),
      " ",
      el("span", { className: "msg", text: finding.message }));
    if (goto !== null && goto !== undefined) {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("a", { className: "goto", href: "#s-" + goto, "data-goto": goto, text: "→ " + t("see_in_text") }));
    }
    if (finding.evidence) { item.appendChild(evidenceNode(finding)); }
    if (finding.suggestion) {
      item.appendChild(el("div", { className: "sugg" },
        el("span", { className: "sugg-label", text: t("suggestion") + ": " }), finding.suggestion));
    }
    if (finding.review) { item.appendChild(reviewBadge(finding.review)); }
    // a cross-report finding is found only by comparing again: /v1/feedback gets the other reports as well
    if (state.feedback && (!finding.evidence || state.compared)) { item.appendChild(reviewControls(finding, index)); }
    return item;
  }

  // The other report's sentence a cross-report finding rests on: which report (and year), the quote, the verdict.
  function evidenceNode(finding) {
    var evidence = finding.evidence;
    var part = /collective/.test(finding.rule) ? "collective" : "previous";  // cross.*_collective*: the unit's report
    var source = t("ev_" + part);
    if (evidence.year) { source += " (" + t("ev_year", { year: evidence.year }) + ")"; }
    return el("div", { className: "evidence-quote", "data-part": part, "data-verdict": evidence.verdict },
      // a pasted text goes by its part's name ("collective", "previous"): no file name to show then
      el("span", { className: "ev-source", text: source + (evidence.file === part ? "" : ", " + evidence.file) + ":" }), " ",
      el("q", { text: evidence.quote }),
      el("span", { className: "ev-verdict", text: " — " + t("ev_verdict") + ": " + (t("v_" + evidence.verdict) || evidence.verdict) }));
  }

  // The card of a comparison: the files compared with, the notes, what could not be linked, the rows of both checks.
  function compareCard(result) {
    var answer = state.compare;
    var files = answer.files || {};
    var cross = result.findings.filter(function (f) { return f.category === "cross_report"; }).length;
    var card = el("section", { className: "card", id: "card-compare" },
      el("h3", { text: t("cmp_card") }),
      el("h4", { text: t("cmp_with") }),
      el("ul", { className: "plain", id: "compare-files" }, PARTS.filter(function (p) { return files[p]; }).map(function (p) {
        return el("li", { "data-part": p }, el("strong", { text: t("part_" + p) + ": " }), files[p] === p ? t("cmp_pasted") : files[p]);
      })),
      el("p", { id: "compare-count", text: cross ? t("cmp_findings", { n: cross }) : t("cmp_findings_none") }));
    if ((answer.notes || []).length) {
      card.appendChild(el("ul", { className: "plain", id: "compare-notes" }, answer.notes.map(function (n) { return el("li", { text: n }); })));
    }
    var unlinked = (answer.linkage && answer.linkage.unlinked) || [];
    if (unlinked.length) {
      card.appendChild(el("h4", { text: t("cmp_unlinked") }));
      card.appendChild(el("ul", { className: "plain", id: "compare-unlinked" }, unlinked.map(function (u) {
        return el("li", { text: u.file + ": " + (t("unl_" + u.reason) || u.reason) });
      })));
    }
    [["collective_rows", "cmp_rows_collective"], ["previous_rows", "cmp_rows_previous"]].forEach(function (pair) {
      var rows = answer[pair[0]] || [];
      if (!rows.length) { return; }
      card.appendChild(el("h4", { text: t(pair[1]) }));
      card.appendChild(el("ul", { className: "plain rows", "data-rows": pair[0] }, rows.map(function (row) {
        return el("li", { "data-verdict": row.verdict }, el("q", { text: snippet(row.shortcoming.text, 140) }),
          " — " + (t("v_" + row.verdict) || row.verdict));
      })));
    });
    return card;
  }

  // ------------------------------------------------------------------ reviewers' feedback

  function reviewBadge(review) {
    return el("span", { className: "fb-state", text: t(review === "dismissed" ? "fb_dismissed" : "fb_confirmed") });
  }

  // "Đúng" / "Không đúng" and an optional note for one finding (its index in the result's findings).
  function reviewControls(finding, index) {
    var noteId = "fb-note-" + index;
    var what = snippet(finding.message || "", 80);
    function button(decision) {
      var chosen = finding.review === (decision === "dismiss" ? "dismissed" : "confirmed");
      return el("button", {
        type: "button", className: "btn small fb-" + decision, "data-review": decision, "data-f": index,
        "aria-pressed": chosen ? "true" : "false",
        "aria-label": t(decision === "dismiss" ? "fb_dismiss_label" : "fb_confirm_label", { what: what }),
        text: t(decision === "dismiss" ? "fb_dismiss" : "fb_confirm"),
      });
    }
    return el("div", { className: "review", role: "group", "aria-label": t("fb_group", { what: what }) },
      el("label", { className: "visually-hidden", for: noteId, text: t("fb_note_label") }),
      el("input", { type: "text", id: noteId, className: "fb-note", maxlength: "1000", autocomplete: "off",
        placeholder: t("fb_note_placeholder") }),
      button("confirm"), button("dismiss"));
  }

  function markReview(index, review) {
    document.querySelectorAll('li.f[data-f="' + index + '"]').forEach(function (item) {
      item.classList.toggle("review-dismissed", review === "dismissed");
      item.classList.toggle("review-confirmed", review === "confirmed");
      var badge = item.querySelector(".fb-state");
      if (badge) { badge.remove(); }
      var controls = item.querySelector(".review");
      item.insertBefore(reviewBadge(review), controls);
      item.querySelectorAll("button[data-review]").forEach(function (btn) {
        var mine = btn.getAttribute("data-review") === (review === "dismissed" ? "dismiss" : "confirm");
        btn.setAttribute("aria-pressed", mine ? "true" : "false");
      });
    });
  }

  async function sendReview(index, decision) {
    var finding = state.result && state.result.findings[index];
    if (!finding) { return; }
    var noteInput = $("fb-note-" + index);
    var note = noteInput ? noteInput.value.trim() : "";
    var buttons = document.querySelectorAll('button[data-review][data-f="' + index + '"]');
    buttons.forEach(function (btn) { btn.disabled = true; });
    showError("");
    setStatus(t("fb_saving"));
    try {
      var outcome = await api("/v1/feedback", feedbackRequest(finding, decision, note));
      if (!outcome.ok) { handleFailure(outcome, function () { return sendReview(index, decision); }); return; }
      var answer = await outcome.response.json();
      finding.review = answer.review; // the downloads carry the decision too
      markReview(index, answer.review);
      setStatus(t(answer.review === "dismissed" ? "fb_saved_dismissed" : "fb_saved_confirmed"));
    } finally {
      buttons.forEach(function (btn) { btn.disabled = false; });
    }
  }

  // The body of POST /v1/feedback. A cross-report finding (it has evidence) exists only in a comparison: the server
  // compares again, so the other reports the comparison was given go too, as they went to /v1/compare (a chosen
  // file as that file, a pasted text as a text field), in a multipart form; the finding is named by its evidence too.
  function feedbackRequest(finding, decision, note) {
    var ref = { rule: finding.rule, start: finding.start, end: finding.end };
    if (!finding.evidence) {
      return {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: state.result.text, finding: ref, decision: decision, note: note || null }),
      };
    }
    ref.evidence_start = finding.evidence.start;
    ref.evidence_end = finding.evidence.end;
    var form = new FormData();
    form.append("text", state.result.text);
    form.append("finding", JSON.stringify(ref));
    form.append("decision", decision);
    if (note) { form.append("note", note); }
    (state.compared || []).forEach(function (other) {
      if (other.file) { form.append(other.part, other.file, other.file.name); } else { form.append(other.part, other.text); }
    });
    return { method: "POST", body: form };
  }

  // Tabbing (or clicking) into a note's buttons opens that note, so its note field shows.
  function onNoteFocus(event) {
    var note = event.target.closest && event.target.closest(".note");
    if (!note || event.target === note) { return; }
    var index = note.getAttribute("data-i");
    if (index !== state.activeSentence) { activate(index, false); }
  }

  function onReview(event) {
    var button = event.target.closest("button[data-review]");
    if (!button) { return; }
    sendReview(Number(button.getAttribute("data-f")), button.getAttribute("data-review"));
  }

  function renderTop(result, view) {
    var header = result.header || {};
    var bandKey = result.band || "fragment";  // a fragment (pasted paragraph or section) gets no band
    var symbol = renderGroup("band_symbol", bandKey);
    var who = header.name || header.branch || header.unit || t("page_title");
    var regime = result.guidance ? label("guidance", result.guidance) : t("regime_unknown");
    var rating = result.self_rating ? (renderGroup("ratings", result.self_rating) || result.self_rating) : "";
    var selfScore = "";
    if (result.self_score !== null && result.self_score !== undefined) {
      selfScore = formatNumber(result.self_score) + "/100";
      var parts = result.self_score_parts || {};
      if (parts.general !== undefined && parts.tasks !== undefined) {
        selfScore += " (" + t("self_score_parts", { general: formatNumber(parts.general), tasks: formatNumber(parts.tasks) }) + ")";
      }
    }
    var facts = [
      fact(t("form"), formText(result), { sub: regime }),
      fact(t("role"), label("roles", result.role)),
      fact(t("self_rating"), rating, { key: true, none: rating ? null : t("self_rating_none") }),
      selfScore ? fact(t("self_score"), selfScore, { key: true }) : null,
    ];
    ["party_position", "government_position", "unit", "branch", "place_date"].forEach(function (key) {
      if (header[key]) { facts.push(fact(t(key), header[key])); }
    });
    if (header.year && !header.place_date) { facts.push(fact(t("year"), String(header.year))); }
    if (state.file) { facts.push(fact(t("source"), state.file.name, { sub: renderGroup("formats", result.source.format) })); }

    var downloads = el("div", { className: "downloads" },
      el("button", { id: "dl-json", className: "btn secondary", type: "button", text: t("dl_json") }),
      el("button", { id: "dl-html", className: "btn secondary", type: "button", text: t("dl_html") }),
      el("button", { id: "print-btn", className: "btn", type: "button", text: t("print") }));

    var masthead = el("header", { className: "masthead" },
      el("div", { className: "who" },
        el("div", { className: "kicker", text: t("page_title") }),
        el("h2", { id: "result-title", tabindex: "-1", text: who })),
      el("div", { className: "verdict" },
        el("span", { id: "band-badge", className: "band band-" + bandKey, "data-band": bandKey, "data-scope": result.scope || "report" },
          el("span", { className: "sym", "aria-hidden": "true", text: symbol }),
          t("band") + ": " + label("bands", bandKey)),
        el("span", { className: "hint", text: bandHint(bandKey) })),
      downloads,
      el("dl", { className: "facts", "aria-label": t("report_info") }, facts));

    // scores
    var explanations = {};
    (result.score_explanations || []).forEach(function (e) { explanations[e.score] = e.explanation; });
    var rows = SCORES.map(function (name) {
      var value = Number(result.scores[name]);
      var width = Math.max(0, Math.min(100, value));
      return el("li", { className: "score-row " + name, "data-score": name },
        el("span", { className: "name", id: "score-" + name, text: label("scores", name) }),
        el("span", { className: "bar", role: "img", "aria-label": label("scores", name) + ": " + formatNumber(value) + "/100" },
          el("span", { className: "fill-" + band(value), width: width.toFixed(1) + "%" })),
        el("span", { className: "val", text: formatNumber(value) }),
        explanations[name] ? el("span", { className: "why", text: explanations[name] }) : null);
    });
    var scores = el("section", { className: "card", id: "card-scores" },
      el("h3", { text: t("scores") }), el("ul", { className: "scores" }, rows));

    // accountability
    var acc = result.accountability;
    var accCard = el("section", { className: "card", id: "card-accountability" },
      el("h3", { text: t("accountability") }),
      el("p", { className: "status status-" + acc.status, id: "accountability-status", "data-status": acc.status },
        el("span", { "aria-hidden": "true", text: acc.status === "present" ? "✓" : acc.status === "missing" ? "✗" : "–" }),
        label("accountability", acc.status)),
      acc.explanation ? el("p", { className: "explain", text: acc.explanation }) : null);
    if (acc.head_responsibility !== null && acc.head_responsibility !== undefined) {
      accCard.appendChild(el("p", null, el("strong", { text: t("head_responsibility") + ": " }),
        acc.head_responsibility ? t("head_yes") : t("head_no")));
    }
    var evidence = sentenceRefs(result, view, acc.evidence || []);
    if (evidence) { evidence.id = "evidence"; accCard.appendChild(el("h4", { text: t("evidence") })); accCard.appendChild(evidence); }
    var collective = sentenceRefs(result, view, acc.collective_shortcomings || []);
    if (collective) { accCard.appendChild(el("h4", { text: t("collective_shortcomings") })); accCard.appendChild(collective); }

    // the report as a whole: missing parts, findings on no single sentence, notes on the input
    var missing = result.missing_sections || [];
    var problems = view.reportLevel.filter(function (item) { return item.finding.category !== "specificity"; });
    var reportCard = el("section", { className: "card", id: "card-report-findings" },
      el("h3", { text: t("report_findings") }),
      el("h4", { text: t("missing_sections") }),
      missing.length
        ? el("ul", { className: "plain", id: "missing-list" }, missing.map(function (id) {
          return el("li", { "data-section": id, text: label("sections", id) });
        }))
        : el("p", { className: "none", id: "missing-list", text: t(result.scope === "fragment" ? "missing_fragment" : "missing_none") }),
      problems.length
        ? el("ul", { className: "findings" }, problems.map(function (item) {
          return findingItem(item.finding, sentenceAt(result, item.finding.start), item.index);
        }))
        : el("p", { className: "none", text: t("report_findings_none") }));
    var notes = [];
    if (result.source && result.source.legacy_font) { notes.push(t("source_legacy_font", { font: result.source.legacy_font.toUpperCase() })); }
    if (result.source && result.source.diacritics === false) { notes.push(t("source_no_diacritics")); }
    if (notes.length) {
      reportCard.appendChild(el("h4", { text: t("source") }));
      reportCard.appendChild(el("ul", { className: "plain" }, notes.map(function (n) { return el("li", { text: n }); })));
    }

    var top = $("result-top");
    top.textContent = "";
    top.appendChild(masthead);
    top.appendChild(el("div", { className: "cards" }, scores, accCard, reportCard, state.compare ? compareCard(result) : null));
  }

  function bandHint(name) {
    var hints = state.labels && state.labels.render && state.labels.render.ui && state.labels.render.ui.band_hint;
    var entry = hints && hints[name];
    return entry ? (entry[state.lang] || entry.vi || "") : "";
  }

  // ------------------------------------------------------------------ rendering: toolbar

  function renderToolbar(view) {
    var counts = {};
    view.per.forEach(function (entry) {
      if (!entry.flag) { return; }
      entry.list.forEach(function (c) { counts[c] = (counts[c] || 0) + 1; });
    });
    var boxes = FILTERS.filter(function (c) { return MAIN.indexOf(c) >= 0 || counts[c]; }).map(function (c) {
      var id = "filter-" + c;
      var help = renderGroup("category_help", c);
      return el("label", { className: counts[c] ? "filter" : "filter disabled", title: help, for: id },
        el("input", { type: "checkbox", id: id, "data-filter": c, checked: true }),
        el("span", { className: "swatch c-" + c, "aria-hidden": "true" }),
        el("span", { className: "name", text: label("categories", c) }),
        el("span", { className: "count", text: "(" + (counts[c] || 0) + ")" }));
    });
    var bar = el("div", { className: "toolbar", role: "group", "aria-labelledby": "filters-label" },
      el("span", { className: "label", id: "filters-label", text: t("filters") + ":" }), boxes);
    var holder = $("result-toolbar");
    holder.textContent = "";
    holder.appendChild(bar);
    bar.addEventListener("change", applyFilters);
  }

  function enabledCategories() {
    var enabled = {};
    document.querySelectorAll("#result-toolbar input[data-filter]").forEach(function (box) {
      if (box.checked) { enabled[box.getAttribute("data-filter")] = true; }
    });
    return enabled;
  }

  function applyFilters() {
    var enabled = enabledCategories();
    document.querySelectorAll("#report .s.flag").forEach(function (node) {
      var cats = (node.getAttribute("data-categories") || "").split(" ").filter(Boolean);
      var show = null;
      for (var i = 0; i < PRIORITY.length && show === null; i++) {
        if (cats.indexOf(PRIORITY[i]) >= 0 && enabled[PRIORITY[i]]) { show = PRIORITY[i]; }
      }
      if (show) { node.setAttribute("data-show", show); node.classList.remove("off"); node.setAttribute("tabindex", "0"); }
      else { node.removeAttribute("data-show"); node.classList.add("off"); node.setAttribute("tabindex", "-1"); }
      var note = $("note-" + node.getAttribute("data-i"));
      if (!note) { return; }
      var visible = 0;
      note.querySelectorAll("li[data-category]").forEach(function (li) {
        var on = !!enabled[li.getAttribute("data-category")];
        li.classList.toggle("hidden", !on);
        if (on) { visible += 1; }
      });
      note.classList.toggle("hidden", visible === 0);
    });
  }

  // ------------------------------------------------------------------ rendering: the text

  // Rows of the report: a new row where the text between two sentences holds a line break.
  function buildRows(result) {
    var rows = [];
    var current = null;
    var previousEnd = 0;
    result.sentences.forEach(function (sentence, index) {
      var gap = result.text.slice(previousEnd, sentence.start);
      if (current === null || gap.indexOf("\n") >= 0) {
        current = { items: [], gapBefore: (gap.match(/\n/g) || []).length > 1 };
        rows.push(current);
        var lead = gap.slice(gap.lastIndexOf("\n") + 1).replace(/^\s+/, ""); // "- " before a bullet item
        if (previousEnd === 0 || gap.indexOf("\n") < 0) { lead = gap.trim(); }
        if (lead) { current.items.push({ text: lead }); }
      } else if (gap) {
        current.items.push({ text: gap });
      }
      current.items.push({ sentence: index });
      previousEnd = sentence.end;
    });
    var tail = result.text.slice(previousEnd).trim();
    if (tail) { rows.push({ items: [{ text: tail }], gapBefore: false }); }
    return rows;
  }

  // Phrase marks of a sentence's findings, merged, as [start, end) offsets into the sentence.
  function phraseRanges(result, sentence, items) {
    var length = sentence.end - sentence.start;
    var ranges = [];
    items.forEach(function (item) {
      var f = item.finding;
      if (f.category === "specificity" || f.category === "input") { return; }
      var s = Math.max(f.start, sentence.start) - sentence.start;
      var e = Math.min(f.end, sentence.end) - sentence.start;
      if (e <= s || (e - s) >= WHOLE_SENTENCE_SHARE * length) { return; }
      ranges.push([s, e]);
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push([r[0], r[1]]); }
    });
    return merged;
  }

  function sentenceNode(result, view, index, headingStarts) {
    var sentence = result.sentences[index];
    var entry = view.per[index];
    var text = result.text.slice(sentence.start, sentence.end);
    var classes = ["s"];
    if (sentence.structural) { classes.push("structural"); }
    if (headingStarts[sentence.start]) { classes.push("heading"); }
    var attrs = { id: "s-" + index, "data-i": index, "data-start": sentence.start, "data-end": sentence.end };
    if (entry.flag) {
      classes.push("flag");
      if (entry.problem) { classes.push("problem"); }
      attrs["data-categories"] = entry.list.join(" ");
      attrs["data-show"] = entry.list[0];
      attrs["data-n"] = entry.number;
      attrs.tabindex = "0";
      attrs.role = "button";
      attrs["aria-controls"] = "note-" + index;
      attrs["aria-describedby"] = "note-" + index;
      attrs["aria-pressed"] = "false";
    } else {
      attrs["data-categories"] = "";
    }
    attrs.className = classes.join(" ");
    var node = el("span", attrs);
    var cursor = 0;
    phraseRanges(result, sentence, entry.findings).forEach(function (r) {
      if (r[0] > cursor) { node.appendChild(document.createTextNode(text.slice(cursor, r[0]))); }
      node.appendChild(el("mark", { className: "hit", text: text.slice(r[0], r[1]) }));
      cursor = r[1];
    });
    if (cursor < text.length) { node.appendChild(document.createTextNode(text.slice(cursor))); }
    return node;
  }

  function noteNode(result, view, index) {
    var entry = view.per[index];
    var list = el("ul");
    var seen = {};
    entry.findings.forEach(function (item) {
      seen[item.finding.category] = true;
      list.appendChild(findingItem(item.finding, null, item.index));
    });
    // a label the classifier gave without a matching rule: say so rather than show nothing
    (result.sentences[index].labels || []).forEach(function (lab) {
      if (seen[lab]) { return; }
      var p = Math.round(100 * (result.sentences[index][lab] || 0));
      list.appendChild(el("li", { className: "f", "data-category": lab },
        el("span", { className: "chip c-" + lab, text: label("categories", lab) }), " ",
        el("span", { className: "msg", text: t("label_only", { cat: label("categories", lab), p: p }) })));
    });
    return el("div", {
      className: "note cat-" + entry.list[0], id: "note-" + index, "data-i": index, tabindex: "-1",
      role: "note", "aria-label": t("note_for", { n: entry.number }),
    },
    el("button", { className: "num", type: "button", "data-back": index, title: t("back_to_sentence", { n: entry.number }),
      "aria-label": t("back_to_sentence", { n: entry.number }), text: String(entry.number) }),
    list);
  }

  function renderText(result, view) {
    var container = $("report");
    container.textContent = "";
    var sectionAt = {};
    var headingStarts = {};
    (result.sections || []).forEach(function (section) {
      headingStarts[section.start] = section.heading_end !== null && section.heading_end !== undefined;
      var index = sentenceAt(result, section.start);
      if (index !== null && sectionAt[index] === undefined) { sectionAt[index] = section.id; }
    });
    var first = true;
    buildRows(result).forEach(function (row) {
      var firstSentence = row.items.filter(function (it) { return it.sentence !== undefined; })[0];
      if (firstSentence && sectionAt[firstSentence.sentence] !== undefined) {
        container.appendChild(el("div", {
          className: first ? "sec-label first" : "sec-label",
          "data-section": sectionAt[firstSentence.sentence],
          text: label("sections", sectionAt[firstSentence.sentence]),
        }));
      }
      first = false;
      var line = el("div", { className: "line" });
      var notes = el("aside", { className: "notes" });
      row.items.forEach(function (item) {
        if (item.sentence === undefined) { line.appendChild(document.createTextNode(item.text)); return; }
        line.appendChild(sentenceNode(result, view, item.sentence, headingStarts));
        if (view.per[item.sentence].flag) { notes.appendChild(noteNode(result, view, item.sentence)); }
      });
      container.appendChild(el("div", { className: row.gapBefore ? "row gap" : "row" }, line, notes));
    });
  }

  function renderResult(result) {
    var view = buildView(result);
    state.activeSentence = null;
    renderTop(result, view);
    renderToolbar(view);
    $("text-heading").textContent = t("text_heading");
    $("text-help").textContent = t("text_help");
    renderText(result, view);
    applyFilters();
    $("results").hidden = false;
    $("dl-json").addEventListener("click", downloadJson);
    $("dl-html").addEventListener("click", downloadHtml);
    $("print-btn").addEventListener("click", function () { window.print(); });
  }

  // ------------------------------------------------------------------ interaction

  function activate(index, focusNote) {
    index = String(index);
    if (state.activeSentence !== null) {
      var oldSentence = $("s-" + state.activeSentence);
      var oldNote = $("note-" + state.activeSentence);
      if (oldSentence) { oldSentence.classList.remove("active"); oldSentence.setAttribute("aria-pressed", "false"); }
      if (oldNote) { oldNote.classList.remove("active"); }
    }
    state.activeSentence = index;
    var sentence = $("s-" + index);
    var note = $("note-" + index);
    if (sentence) { sentence.classList.add("active"); sentence.setAttribute("aria-pressed", "true"); }
    if (note) {
      note.classList.add("active");
      note.scrollIntoView({ block: "nearest" });
      if (focusNote) { note.focus({ preventScroll: true }); }
    }
  }

  function onReportClick(event) {
    var back = event.target.closest("button[data-back]");
    if (back) {
      var target = $("s-" + back.getAttribute("data-back"));
      if (target) { activate(back.getAttribute("data-back"), false); target.focus(); }
      return;
    }
    var sentence = event.target.closest(".s.flag");
    if (sentence && !sentence.classList.contains("off")) { activate(sentence.getAttribute("data-i"), true); }
  }

  function onReportKey(event) {
    var node = event.target;
    if (!node.classList || !node.classList.contains("flag")) { return; }
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (!node.classList.contains("off")) { activate(node.getAttribute("data-i"), true); }
    }
  }

  function onGoto(event) {
    var link = event.target.closest("a[data-goto]");
    if (!link) { return; }
    event.preventDefault();
    goToSentence(link.getAttribute("data-goto"));
  }

  function saveBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    setStatus(t("downloaded", { name: name }));
  }

  function downloadJson() {
    if (!state.result) { return; }
    var blob = new Blob([JSON.stringify(state.result, null, 2) + "\n"], { type: "application/json" });
    saveBlob(blob, "kiemdiem-ket-qua.json");
  }

  async function downloadHtml() {
    if (!state.result) { return; }
    var outcome = await api("/v1/render?lang=" + state.lang, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(state.result),
    });
    if (!outcome.ok) { handleFailure(outcome, downloadHtml); if (!outcome.unauthorized) { setStatus(t("dl_failed")); } return; }
    var blob = await outcome.response.blob();
    saveBlob(new Blob([blob], { type: "text/html" }), "kiemdiem-ket-qua.html");
  }

  function setUpDrop() {
    var zone = $("drop-zone");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) { chooseFile(files[0]); }
    });
    // a file dropped anywhere else must not make the browser navigate away from the page
    window.addEventListener("dragover", function (event) { event.preventDefault(); });
    window.addEventListener("drop", function (event) { event.preventDefault(); });
  }

  async function start() {
    try {
      var stored = localStorage.getItem("kiemdiem.lang");
      if (stored === "en" || stored === "vi") { state.lang = stored; }
      state.token = sessionStorage.getItem("kiemdiem.token");
    } catch (err) { /* storage disabled */ }
    var response = await fetch("/static/i18n.json", { cache: "no-cache" });
    state.page = await response.json();
    applyLanguage();

    $("lang-toggle").addEventListener("click", toggleLanguage);
    $("choose-file").addEventListener("click", function () { $("file-input").click(); });
    $("file-input").addEventListener("change", function (event) { chooseFile(event.target.files[0]); });
    $("remove-file").addEventListener("click", removeFile);
    PARTS.forEach(function (part) {
      $("cmp-" + part + "-choose").addEventListener("click", function () { $("cmp-" + part + "-file").click(); });
      $("cmp-" + part + "-file").addEventListener("change", function (event) { chooseOther(part, event.target.files[0]); });
      $("cmp-" + part + "-remove").addEventListener("click", function () { removeOther(part); });
    });
    $("analyze-btn").addEventListener("click", analyse);
    $("clear-btn").addEventListener("click", clearAll);
    $("report").addEventListener("click", onReportClick);
    $("report").addEventListener("keydown", onReportKey);
    $("report").addEventListener("focusin", onNoteFocus);
    $("results").addEventListener("click", onGoto);
    $("results").addEventListener("click", onReview);
    $("token-box").addEventListener("submit", function (event) {
      event.preventDefault();
      state.token = $("token-input").value.trim() || null;
      try { if (state.token) { sessionStorage.setItem("kiemdiem.token", state.token); } } catch (err) { /* ignore */ }
      $("token-box").hidden = true;
      showError("");
      var retry = state.pendingRetry || loadLabels;
      state.pendingRetry = null;
      (state.labels ? retry() : loadLabels().then(function (ok) { if (ok && retry !== loadLabels) { retry(); } }));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); analyse(); }
    });
    setUpDrop();
    await loadLabels();
    document.body.setAttribute("data-ready", "true");
  }

  document.addEventListener("DOMContentLoaded", start);
}());
