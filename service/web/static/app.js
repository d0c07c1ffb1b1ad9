// The chat page: streamed answers from POST /v1/ask (SSE read from a fetch body, since EventSource
// cannot POST), cited passages, the model picker, and checklist and briefing drafts.
// Text from the server only ever reaches the page as Text nodes (see markdown.js and h()).

import { renderMarkdown } from "./markdown.js";

const HISTORY_TURNS = 12; // earlier turns sent with a follow-up (the server reads the last few)
const TURN_CHARS = 8000; // the API's limit on one turn
const EXTRACTIVE = "extractive";

const $ = (id) => document.getElementById(id);
const ui = {
  messages: $("messages"),
  welcome: $("welcome"),
  form: $("ask-form"),
  question: $("question"),
  send: $("send"),
  stop: $("stop"),
  model: $("model"),
  status: $("status"),
  dialog: $("source"),
};
const state = { models: [], turns: [], controller: null };

// --- small helpers --------------------------------------------------------------------------

/** Create an element; children given as strings become Text nodes, never markup. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c != null && c !== false));
  return node;
}

function announce(text) {
  ui.status.textContent = "";
  setTimeout(() => (ui.status.textContent = text), 50);
}

function nearBottom() {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
}

function scrollToEnd() {
  window.scrollTo({ top: document.documentElement.scrollHeight });
}

function duration(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function slug(text) {
  return (
    String(text)
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .replace(/[\s_-]+/g, "-")
      .slice(0, 80) || "draft"
  );
}

// --- talking to the API ---------------------------------------------------------------------

class ApiError extends Error {
  constructor({ status = 0, code = "network", message = "", details = null, retryAfter = null }) {
    super(message);
    Object.assign(this, { status, code, details, retryAfter });
  }
}

function parseRetryAfter(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function errorFrom(response) {
  let error = {};
  try {
    error = (await response.json()).error ?? {};
  } catch {
    // not our JSON error shape: fall back to the status line
  }
  return new ApiError({
    status: response.status,
    code: error.code ?? `http_${response.status}`,
    message: error.message ?? response.statusText,
    details: error.details ?? null,
    retryAfter: parseRetryAfter(response.headers.get("retry-after")),
  });
}

/** Any failure as an ApiError; an abort stays an AbortError. */
function asApiError(err) {
  if (err instanceof ApiError || err?.name === "AbortError") return err;
  return new ApiError({ code: "network", message: String(err?.message ?? err) });
}

/** The API key, when the server requires one (kept in this browser only). */
const KEY_STORAGE = "strategy-assistant.api-key";

function authHeaders() {
  const key = localStorage.getItem(KEY_STORAGE);
  return key ? { authorization: `Bearer ${key}` } : {};
}

function askForKey() {
  const key = window.prompt("This server needs an API key (an admin creates one with `strategy-assistant keys create`):");
  if (key && key.trim()) localStorage.setItem(KEY_STORAGE, key.trim());
}

async function post(url, body, { signal, accept = "application/json" } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept, ...authHeaders() },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    throw asApiError(err);
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** Server-Sent Events from a fetch response: yields {name, data} with data parsed as JSON. */
async function* readEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const boundary = /\r\n\r\n|\n\n|\r\r/;
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    let m;
    while ((m = boundary.exec(buffer))) {
      const event = parseEvent(buffer.slice(0, m.index));
      buffer = buffer.slice(m.index + m[0].length);
      if (event) yield event;
    }
    if (done) {
      const event = parseEvent(buffer);
      if (event) yield event;
      return;
    }
  }
}

function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (!line || line.startsWith(":")) continue; // comments are keep-alive pings
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { name, data: JSON.parse(data.join("\n")) } : null;
}

/** What went wrong, in words a reader can act on. */
function describeError(err) {
  const wait = err.retryAfter;
  const waitText = wait ? `Wait ${wait} s, then retry.` : "Retry in a moment.";
  const tried = err.details?.tried?.length ? ` (tried ${err.details.tried.join(", ")})` : "";
  const detail = err.message;
  if (err.code === "network") {
    return {
      title: "Can’t reach the assistant",
      text: "The server did not answer or the connection broke. Check that it is running (make run) and reachable, then retry.",
      detail,
    };
  }
  if (err.status === 401) {
    askForKey();
    return { title: "API key needed", text: "This server accepts requests with an API key only. Enter the key when asked, then retry.", detail };
  }
  if (err.status === 429 || err.code === "rate_limited" || err.details?.status === 429) {
    return { title: "Rate limit reached", text: `The model is getting too many requests${tried}. ${waitText}`, retryAfter: wait, extractive: true, detail };
  }
  if (err.code === "models_unavailable") {
    return {
      title: "The model is unavailable",
      text: `No model could answer${tried}. ${waitText} Or switch to Extractive: it answers from the sources without a model.`,
      retryAfter: wait,
      extractive: true,
      detail,
    };
  }
  if (err.code === "index_loading" || err.code === "index_not_ready") {
    return { title: "Still starting", text: `The assistant is loading its index. ${waitText}`, retryAfter: wait, detail };
  }
  if (err.code === "unknown_model") {
    loadModels();
    return { title: "That model is not configured", text: "Pick another model from the list, then retry.", detail };
  }
  if (err.code === "stream_interrupted") {
    return { title: "The answer was cut off", text: "The connection closed before the answer finished. Retry.", detail };
  }
  return {
    title: err.status >= 500 || err.status === 0 ? "The server had a problem" : "The request was not accepted",
    text: err.message || "Unexpected error.",
    retryAfter: wait,
  };
}

function countdown(button, seconds) {
  button.disabled = true;
  const tick = () => {
    if (seconds <= 0) {
      button.disabled = false;
      button.textContent = "Retry";
      return;
    }
    button.textContent = `Retry in ${seconds} s`;
    seconds -= 1;
    setTimeout(tick, 1000);
  };
  tick();
}

function errorBox(info, { onRetry, onExtractive } = {}) {
  const retry = onRetry && h("button", { type: "button", class: "secondary", onclick: onRetry }, "Retry");
  const canSwitch = info.extractive && onExtractive && state.models.includes(EXTRACTIVE) && ui.model.value !== EXTRACTIVE;
  const box = h(
    "div",
    { class: "error-box", role: "alert" },
    h("p", { class: "error-title" }, info.title),
    h("p", {}, info.text),
    info.detail && info.detail !== info.text && h("details", {}, h("summary", {}, "Details"), h("p", { class: "detail" }, info.detail)),
    h(
      "div",
      { class: "actions" },
      retry,
      canSwitch && h("button", { type: "button", class: "secondary", onclick: onExtractive }, "Answer with Extractive"),
    ),
  );
  if (retry && info.retryAfter) countdown(retry, info.retryAfter);
  return box;
}

// --- citations ------------------------------------------------------------------------------

function where(citation) {
  return citation.document.title + (citation.section ? ` — ${citation.section}` : "");
}

/** A [n] marker as a button opening its passage; null (plain text) when n names no citation. */
function citeButton(citations, n) {
  const citation = citations?.[n - 1];
  if (!citation) return null;
  return h(
    "button",
    {
      type: "button",
      class: "cite",
      title: where(citation),
      "aria-label": `Source ${n}: ${where(citation)}`,
      onclick: (event) => openSource(citation, n, event.currentTarget),
    },
    String(n),
  );
}

let sourceOpener = null;

function openSource(citation, n, opener) {
  sourceOpener = opener;
  $("source-title").textContent = `[${n}] ${citation.document.title}`;
  $("source-section").textContent = citation.section ? `Section: ${citation.section}` : "Whole document";
  $("source-quote").textContent = citation.quote;
  $("source-chunk").textContent = citation.chunk_id;
  ui.dialog.showModal();
  $("source-close").focus();
}

function sourcesList(citations) {
  return h(
    "details",
    { class: "sources" },
    h("summary", {}, citations.length === 1 ? "1 source" : `${citations.length} sources`),
    h(
      "ol",
      {},
      ...citations.map((c, i) =>
        h("li", {}, h("button", { type: "button", class: "link", onclick: (e) => openSource(c, i + 1, e.currentTarget) }, where(c))),
      ),
    ),
  );
}

function citationsMarkdown(citations) {
  if (!citations?.length) return "";
  return "\n\nSources:\n" + citations.map((c, i) => `[${i + 1}] ${where(c)}: “${c.quote}”`).join("\n");
}

// --- copy and download ----------------------------------------------------------------------

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // plain http on another host is not a secure context: use the older path
    const area = h("textarea", { readonly: true, class: "visually-hidden" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  const label = button.textContent;
  button.textContent = "Copied ✓";
  announce("Copied to the clipboard.");
  setTimeout(() => (button.textContent = label), 1500);
}

function download(text, filename) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

// --- the conversation -----------------------------------------------------------------------

function addUserMessage(text) {
  const node = h("article", { class: "msg user", "aria-label": "You asked" }, h("div", { class: "bubble" }, text));
  ui.messages.append(node);
  return node;
}

function answerMeta(answer) {
  const copy = h("button", { type: "button", class: "link" }, "Copy");
  copy.addEventListener("click", () => copyText(answer.answer + citationsMarkdown(answer.citations), copy));
  return h(
    "p",
    { class: "meta" },
    h("span", {}, "Answered by ", h("strong", { class: "model-name" }, answer.model)),
    answer.fallback && h("span", { class: "fallback" }, `fell back from ${answer.requested_model}`),
    answer.mode === "retrieval-only" && h("span", {}, "no model answered: composed from the sources"),
    Number.isFinite(answer.latency_ms) && h("span", {}, duration(answer.latency_ms)),
    copy,
  );
}

function addAssistantMessage() {
  const body = h("div", { class: "body" }, h("p", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Searching the sources…"));
  const node = h("article", { class: "msg assistant", "aria-label": "Assistant", "aria-busy": "true", "data-deltas": "0" }, body);
  ui.messages.append(node);
  let pending = null;
  let settled = false;
  const settle = () => {
    settled = true;
    node.classList.remove("streaming");
    node.setAttribute("aria-busy", "false");
  };
  return {
    node,
    stream(text) {
      node.dataset.deltas = String(Number(node.dataset.deltas) + 1);
      node.classList.add("streaming");
      if (pending === null) {
        requestAnimationFrame(() => {
          if (!settled) {
            const follow = nearBottom();
            body.replaceChildren(renderMarkdown(pending));
            if (follow) scrollToEnd();
          }
          pending = null;
        });
      }
      pending = text;
    },
    finish(answer) {
      settle();
      node.dataset.model = answer.model;
      body.replaceChildren(renderMarkdown(answer.answer, { cite: (n) => citeButton(answer.citations, n) }));
      if (!answer.supported) {
        node.classList.add("unsupported");
        node.prepend(h("p", { class: "badge" }, answer.mode === "refusal" ? "Not covered by the corpus" : "No source supports this answer"));
      }
      if (answer.unsupported_claims?.length) {
        node.append(
          h("div", { class: "claims" }, h("p", {}, "No source supports these sentences:"), h("ul", {}, ...answer.unsupported_claims.map((c) => h("li", {}, c)))),
        );
      }
      if (answer.citations?.length) node.append(sourcesList(answer.citations));
      node.append(answerMeta(answer));
    },
    stopped(text) {
      settle();
      body.replaceChildren(text ? renderMarkdown(text) : "");
      node.append(h("p", { class: "meta" }, "Stopped before the answer finished."));
    },
    fail(info, actions) {
      settle();
      node.classList.add("failed");
      body.replaceChildren(errorBox(info, actions));
    },
  };
}

function setBusy(controller) {
  state.controller = controller;
  ui.send.hidden = Boolean(controller);
  ui.stop.hidden = !controller;
  ui.form.setAttribute("aria-busy", String(Boolean(controller)));
}

async function ask(question, model = ui.model.value || null) {
  ui.welcome.hidden = true;
  const asked = addUserMessage(question);
  const reply = addAssistantMessage();
  scrollToEnd();
  const controller = new AbortController();
  setBusy(controller);
  announce("Answering…");
  const history = state.turns.slice(-HISTORY_TURNS);
  let text = "";
  try {
    const response = await post(
      "/v1/ask",
      { question, model, history: history.length ? history : null, stream: true },
      { signal: controller.signal, accept: "text/event-stream" },
    );
    let answer = null;
    for await (const { name, data } of readEvents(response)) {
      if (name === "delta") {
        text += data.text ?? "";
        reply.stream(text);
      } else if (name === "reset") {
        text = ""; // the model failed mid-answer; its fallback's answer follows
        reply.stream(text);
      } else if (name === "done") {
        answer = data;
      } else if (name === "error") {
        throw new ApiError({ status: 200, ...data.error });
      }
    }
    if (!answer) throw new ApiError({ code: "stream_interrupted", message: "The stream ended without a final answer." });
    reply.finish(answer); // the final text is authoritative: markers are renumbered to its citations
    state.turns.push({ role: "user", content: question }, { role: "assistant", content: answer.answer.slice(0, TURN_CHARS) });
    announce(answer.supported ? `Answer ready, from ${answer.model}.` : "The corpus does not cover this question.");
  } catch (caught) {
    const err = asApiError(caught);
    if (err.name === "AbortError") {
      reply.stopped(text);
      announce("Stopped.");
    } else {
      const again = (alias) => () => {
        asked.remove();
        reply.node.remove();
        if (alias) selectModel(alias);
        ask(question, alias ?? model);
        ui.question.focus();
      };
      const info = describeError(err);
      reply.fail(info, { onRetry: again(null), onExtractive: again(EXTRACTIVE) });
      announce(info.title);
    }
  } finally {
    setBusy(null);
    scrollToEnd();
  }
}

function submitQuestion() {
  const question = ui.question.value.trim();
  if (!question || state.controller) return;
  ui.question.value = "";
  ask(question);
}

// --- models ---------------------------------------------------------------------------------

function selectModel(alias) {
  ui.model.value = alias;
  try {
    localStorage.setItem("strategy-assistant.model", alias);
  } catch {
    // storage may be disabled; the choice then lasts until reload
  }
}

async function loadModels() {
  let models = [{ id: EXTRACTIVE, owned_by: EXTRACTIVE }];
  try {
    const response = await fetch("/v1/models", { headers: authHeaders() });
    if (!response.ok) throw await errorFrom(response);
    models = (await response.json()).data;
  } catch (err) {
    announce("Could not load the model list; using Extractive.");
  }
  const current = ui.model.value || (() => {
    try {
      return localStorage.getItem("strategy-assistant.model");
    } catch {
      return null;
    }
  })();
  // An alias that cannot answer now (no key, server down, model loading) is shown, marked and not offered.
  const usable = (m) => m.available !== false;
  ui.model.replaceChildren(
    ...models.map((m) => {
      const label = m.owned_by && m.owned_by !== m.id ? `${m.id} · ${m.owned_by}` : m.id;
      return usable(m)
        ? h("option", { value: m.id }, label)
        : h("option", { value: m.id, disabled: "", title: m.reason ?? "" }, `${label} — unavailable${m.reason ? `: ${m.reason}` : ""}`);
    }),
  );
  state.models = models.filter(usable).map((m) => m.id);
  ui.model.value = state.models.includes(current) ? current : state.models[0];
}

// --- checklist and briefing -----------------------------------------------------------------

function documentView(data, renderBody) {
  const heading = h("h3", { tabindex: "-1" }, data.title ?? "Draft");
  const toolbar = h("div", { class: "doc-toolbar" });
  if (data.markdown) {
    const copy = h("button", { type: "button", class: "secondary" }, "Copy as Markdown");
    copy.addEventListener("click", () => copyText(data.markdown, copy));
    const save = h("button", { type: "button", class: "secondary", onclick: () => download(data.markdown, `${slug(data.title)}.md`) }, "Download .md");
    toolbar.append(copy, save);
  }
  const meta = data.model && h("p", { class: "meta" }, h("span", {}, "Drafted with ", h("strong", { class: "model-name" }, data.model)));
  const doc = h("article", { class: "doc" }, heading, meta, toolbar);
  doc.append(renderBody(data));
  return { doc, heading };
}

function renderChecklist(data) {
  const out = document.createDocumentFragment();
  if (!Array.isArray(data.items)) {
    out.append(renderMarkdown(data.markdown, { headingLevel: 4 }));
    return out;
  }
  out.append(h("p", {}, h("strong", {}, "Context: "), data.context ?? ""));
  if (data.horizon_months) out.append(h("p", {}, h("strong", {}, "Horizon: "), `${data.horizon_months} months`));
  const citations = data.items.map((item) => item.citation); // numbered as in the Markdown
  const groups = data.currents?.length ? data.currents : [...new Set(data.items.map((i) => i.current))].map((name) => ({ name }));
  for (const group of groups) {
    out.append(h("h4", {}, group.name, group.framing_question && h("span", { class: "framing" }, ` — ${group.framing_question}`)));
    if (group.reason) out.append(h("p", { class: "reason" }, `Why this current: ${group.reason}`));
    const list = h("ul", { class: "checklist" });
    data.items.forEach((item, i) => {
      if (item.current !== group.name) return;
      const counter = item.kind === "counter-trigger";
      list.append(
        h(
          "li",
          { class: counter ? "counter" : "trigger" },
          h("span", { class: "kind" }, counter ? "Counter-trigger" : "Trigger"),
          h("p", { class: "signal" }, item.signal, " ", citeButton(citations, i + 1)),
          item.why_it_matters && h("p", { class: "why" }, item.why_it_matters),
        ),
      );
    });
    out.append(list);
  }
  if (data.review) {
    out.append(
      h("p", { class: "review" }, `Review ${data.review.cadence}; retire a current whose triggers stay quiet for ${data.review.retire_after_months} months.`),
    );
  }
  return out;
}

function renderBriefing(data) {
  const out = document.createDocumentFragment();
  if (data.audience) out.append(h("p", { class: "meta" }, `For: ${data.audience}`));
  if (data.supported === false) out.append(h("p", { class: "badge" }, "The corpus does not cover this topic directly"));
  if (!Array.isArray(data.sections)) {
    out.append(renderMarkdown(data.markdown, { headingLevel: 4 }));
    return out;
  }
  // Markers in section bodies count through the whole briefing's citations.
  const citations = data.citations ?? data.sections.flatMap((s) => s.citations ?? []);
  for (const section of data.sections) {
    out.append(h("h4", {}, section.heading), renderMarkdown(section.body, { cite: (n) => citeButton(citations, n), headingLevel: 5 }));
  }
  return out;
}

async function runTool(form, result, request, renderBody) {
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  result.setAttribute("aria-busy", "true");
  result.replaceChildren(h("p", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Drafting from the sources…"));
  try {
    const data = await (await request()).json();
    const { doc, heading } = documentView(data, renderBody);
    result.replaceChildren(doc);
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
    announce(`${data.title ?? "Draft"} is ready.`);
  } catch (caught) {
    const err = asApiError(caught);
    const info = describeError(err);
    result.replaceChildren(
      errorBox(info, {
        onRetry: () => form.requestSubmit(),
        onExtractive: () => {
          selectModel(EXTRACTIVE);
          form.requestSubmit();
        },
      }),
    );
    announce(info.title);
  } finally {
    button.disabled = false;
    result.setAttribute("aria-busy", "false");
  }
}

async function loadCurrents() {
  try {
    const response = await fetch("/v1/currents", { headers: authHeaders() });
    if (!response.ok) return;
    const body = await response.json();
    const currents = Array.isArray(body) ? body : body.currents ?? body.data ?? [];
    const names = currents.map((c) => (typeof c === "string" ? c : c.name)).filter(Boolean);
    if (!names.length) return;
    const fieldset = $("checklist-currents");
    fieldset.querySelector(".chips").replaceChildren(
      ...names.map((name) => h("label", { class: "chip" }, h("input", { type: "checkbox", name: "current", value: name }), ` ${name}`)),
    );
    fieldset.hidden = false;
  } catch {
    // without the list the assistant chooses the currents itself
  }
}

$("checklist-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const horizon = $("checklist-horizon").value;
  const currents = [...form.querySelectorAll('input[name="current"]:checked')].map((i) => i.value);
  const body = {
    context: $("checklist-context").value.trim(),
    currents: currents.length ? currents : null,
    horizon_months: horizon ? Number(horizon) : null,
    model: ui.model.value || null,
  };
  runTool(form, $("checklist-result"), () => post("/v1/checklist", body), renderChecklist);
});

$("briefing-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {
    topic: $("briefing-topic").value.trim(),
    audience: $("briefing-audience").value.trim() || null,
    length: form.querySelector('input[name="length"]:checked')?.value ?? "standard",
    model: ui.model.value || null,
  };
  runTool(form, $("briefing-result"), () => post("/v1/briefing", body), renderBriefing);
});

// --- tabs -----------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab, { focus = false } = {}) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  const name = tab.id.replace("tab-", "");
  history.replaceState(null, "", name === "chat" ? location.pathname : `#${name}`);
}

for (const tab of tabs) tab.addEventListener("click", () => selectTab(tab));
document.querySelector('[role="tablist"]').addEventListener("keydown", (event) => {
  const i = tabs.indexOf(document.activeElement);
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (i < 0 || next === undefined) return;
  event.preventDefault();
  selectTab(tabs[(next + tabs.length) % tabs.length], { focus: true });
});

// --- wiring ---------------------------------------------------------------------------------

ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitQuestion();
});
ui.question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submitQuestion();
  } else if (event.key === "Escape" && state.controller) {
    state.controller.abort();
  }
});
if (!CSS.supports("field-sizing", "content")) {
  ui.question.addEventListener("input", () => {
    ui.question.style.height = "auto";
    ui.question.style.height = `${Math.min(ui.question.scrollHeight, 200)}px`;
  });
}
ui.stop.addEventListener("click", () => {
  state.controller?.abort();
  ui.question.focus();
});
ui.model.addEventListener("change", () => selectModel(ui.model.value));
for (const button of document.querySelectorAll(".suggestion")) {
  button.addEventListener("click", () => {
    if (state.controller) return;
    ask(button.textContent);
    ui.question.focus();
  });
}
$("new-chat").addEventListener("click", () => {
  state.controller?.abort();
  state.turns = [];
  ui.messages.replaceChildren(ui.welcome);
  ui.welcome.hidden = false;
  ui.question.focus();
  announce("New conversation.");
});
$("source-close").addEventListener("click", () => ui.dialog.close());
ui.dialog.addEventListener("click", (event) => {
  if (event.target === ui.dialog) ui.dialog.close(); // a click on the backdrop
});
ui.dialog.addEventListener("close", () => sourceOpener?.focus());

const tabFromHash = () => tabs.find((t) => `#${t.id.replace("tab-", "")}` === location.hash) ?? tabs[0];
window.addEventListener("hashchange", () => selectTab(tabFromHash()));
selectTab(tabFromHash());
loadModels();
loadCurrents();
if (!location.hash) ui.question.focus();
