// A tiny, safe Markdown renderer: it builds DOM nodes and only ever inserts text as Text nodes,
// so no answer or document can inject HTML or script. Supported: paragraphs, line breaks,
// headings, bullet and numbered lists (with "[ ]" task boxes), block quotes, fenced code,
// **bold**, *italic*, `code`, and [n] citation markers (through the `cite` callback).
// Links and raw HTML are shown as the plain text they are.

const HEADING = /^(#{1,6})\s+(.*)$/;
const LIST_ITEM = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TASK = /^\[( |x|X)\]\s+/;
const QUOTE = /^\s*>\s?(.*)$/;
const FENCE = /^\s*```/;
const INLINE =
  /\*\*(.+?)\*\*|(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])|(?<!\w)_(?![\s_])(.+?)(?<![\s_])_(?!\w)|`([^`]+)`|\[(\d{1,3})\]/g;

function el(tag, parent) {
  const node = document.createElement(tag);
  if (parent) parent.append(node);
  return node;
}

// The API neutralises user text in Markdown with backslash escapes and HTML entities. An escaped character
// is moved to the private-use area before markup is matched (so "\\*" never opens emphasis) and shown as
// itself afterwards, always as a text node (never parsed as HTML).
const ENTITIES = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'" };
const ESCAPED = /\\([!-/:-@[-`{-~])/g;
const HIDDEN = /[\uE000-\uE07F]/g;
const ENTITY = /&(?:lt|gt|amp|quot|#39);/g;

const hide = (text) => text.replace(ESCAPED, (_, char) => String.fromCharCode(0xe000 + char.charCodeAt(0)));
const show = (text) => text.replace(HIDDEN, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000)).replace(ENTITY, (e) => ENTITIES[e]);

/** Append `text` to `parent`, turning the inline subset into elements; everything else stays text. */
export function renderInline(parent, text, options = {}) {
  text = hide(text);
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    parent.append(show(text.slice(last, m.index)));
    if (m[1] !== undefined) renderInline(el("strong", parent), m[1], options);
    else if ((m[2] ?? m[3]) !== undefined) renderInline(el("em", parent), m[2] ?? m[3], options);
    else if (m[4] !== undefined) el("code", parent).textContent = show(m[4]);
    else parent.append(options.cite?.(Number(m[5])) ?? m[0]);
    last = m.index + m[0].length;
  }
  parent.append(show(text.slice(last)));
}

/**
 * Render Markdown text into a DocumentFragment.
 * options.cite(n) -> Node | null: what a [n] marker becomes (null keeps the text "[n]").
 * options.headingLevel: the level a "#" heading maps to (default 3, below the page's own headings).
 */
export function renderMarkdown(text, options = {}) {
  const root = document.createDocumentFragment();
  const top = options.headingLevel ?? 3;
  const lines = String(text ?? "").split(/\r\n|\r|\n/);
  let block = null; // the open paragraph, list or quote
  let item = null; // the open list item
  let code = null; // the open fenced code block

  const close = () => {
    block = null;
    item = null;
  };
  const addLine = (parent, content) => {
    if (parent.childNodes.length) el("br", parent);
    renderInline(parent, content, options);
  };

  for (const raw of lines) {
    if (code) {
      if (FENCE.test(raw)) code = null;
      else code.append((code.textContent ? "\n" : "") + raw);
      continue;
    }
    const line = raw.trimEnd();
    let m;
    if (!line.trim()) {
      close();
    } else if (FENCE.test(line)) {
      close();
      code = el("code", el("pre", root));
    } else if ((m = HEADING.exec(line))) {
      close();
      renderInline(el(`h${Math.min(6, top + m[1].length - 1)}`, root), m[2].replace(/\s+#+$/, ""), options);
    } else if ((m = LIST_ITEM.exec(line))) {
      const ordered = /\d/.test(m[1]);
      const tag = ordered ? "OL" : "UL";
      if (!block || block.tagName !== tag) {
        block = el(tag.toLowerCase(), root);
        if (ordered && parseInt(m[1], 10) !== 1) block.start = parseInt(m[1], 10);
      }
      item = el("li", block);
      let content = m[2];
      const task = TASK.exec(content);
      if (task) {
        item.className = "task";
        el("span", item).textContent = task[1] === " " ? "☐ " : "☑ ";
        content = content.slice(task[0].length);
      }
      renderInline(item, content, options);
    } else if (item && /^\s/.test(raw)) {
      addLine(item, line.trim()); // a continuation line of the list item
    } else if ((m = QUOTE.exec(line))) {
      if (!block || block.tagName !== "BLOCKQUOTE") {
        close();
        block = el("blockquote", root);
      }
      addLine(block, m[1]);
    } else {
      if (!block || block.tagName !== "P") {
        close();
        block = el("p", root);
      }
      addLine(block, line.trim());
    }
  }
  return root;
}
