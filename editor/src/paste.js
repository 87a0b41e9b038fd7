// What Word, WPS and web pages put on the clipboard, made ready for the
// editor's model: Word's and WPS's lists come as paragraphs marked
// `mso-list:l0 level1 lfo1` with the bullet or number typed in front; they
// become real lists. Office's own markup (comments, <o:p>, VML shapes,
// conditional blocks) goes. Pictures that live anywhere but on this site
// (other hosts, the author's disk, data: URLs) are removed and counted, so
// the editor can say so: they are never fetched from the browser, and the
// author uploads them instead. Everything else the model has no place for
// (fonts, colours, spans, classes) is left out by the schema's parser.
import { sitePicture } from "./schema.js";

/** Where a pasted element's style attribute is read from. */
const STYLE = "data-pasted-style";
const LIST_STYLE = /mso-list:\s*(l\d+)\s+level(\d+)/i;
// A number or letter with its punctuation (1. 1) (1) a. iv. 一、) or a
// circled number (①). A letter alone is no number: Word's bullets are
// letters in a symbol font (l for ●, n for ■, Ø, ü).
const ORDERED_MARKER = /^\s*(?:[(（]?(?:[0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+|[一二三四五六七八九十百]+)[.)、．）]|[①-⑳])\s*$/;

function removeAll(root, selector) {
  for (const node of Array.from(root.querySelectorAll(selector))) node.remove();
}

function removeComments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const comment of comments) comment.remove();
}

/** Whether a marker is a bullet glyph (Word's symbol-font letters included). */
const BULLET = /^[·•▪◦○●■□◆◇►▶✓✔\-–—*§lnqvüØ]$/;

/** The marker Office typed before a list paragraph's text, removed; its text. */
function takeMarker(paragraph) {
  const ignored = Array.from(paragraph.querySelectorAll(`[${STYLE}]`)).filter((el) => /mso-list:\s*Ignore/i.test(el.getAttribute(STYLE)));
  if (ignored.length) {
    const text = ignored.map((el) => el.textContent).join("");
    for (const el of ignored) el.remove();
    return text.replace(/\u00a0/g, " ").trim();
  }
  // No marked span: the marker is the paragraph's first word.
  const first = paragraph.firstChild;
  if (first && first.nodeType === Node.TEXT_NODE) {
    const match = first.textContent.match(/^\s*(\S+?)[\s\u00a0]+/);
    if (match && (ORDERED_MARKER.test(match[1]) || BULLET.test(match[1]))) {
      first.textContent = first.textContent.slice(match[0].length);
      return match[1];
    }
  }
  return "";
}

/** Replaces runs of Office list paragraphs under `parent` by nested lists. */
function convertLists(doc, parent) {
  let stack = []; // [{ level, list, item }]
  let run = null;
  for (const node of Array.from(parent.childNodes)) {
    const style = node.nodeType === Node.ELEMENT_NODE ? node.getAttribute(STYLE) || "" : "";
    // Only paragraphs: a numbered heading stays a heading.
    const match = node.nodeName === "P" ? style.match(LIST_STYLE) : null;
    if (!match) {
      // Blank text between list paragraphs does not end the list.
      if (node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) continue;
      stack = [];
      run = null;
      if (node.nodeType === Node.ELEMENT_NODE && node.children.length) convertLists(doc, node);
      continue;
    }
    const level = Number(match[2]) || 1;
    const marker = takeMarker(node);
    const ordered = ORDERED_MARKER.test(marker);
    // A marker that is neither a number nor a bullet (第一条, 1.1, Article 1)
    // is part of the text: it stays, in a bulleted item.
    if (marker && !ordered && !BULLET.test(marker)) node.prepend(doc.createTextNode(marker + " "));
    const number = marker.match(/\d+/);
    while (stack.length && stack[stack.length - 1].level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < level || top.ordered !== ordered) {
      if (top && top.level === level) stack.pop();
      const list = doc.createElement(ordered ? "ol" : "ul");
      // Items copied from the middle of a list keep their numbers.
      if (ordered && number && Number(number[0]) !== 1) list.setAttribute("start", number[0]);
      const holder = stack[stack.length - 1];
      if (holder) holder.item.appendChild(list);
      else if (run) run.after(list);
      else node.before(list);
      top = { level, list, ordered, item: null };
      stack.push(top);
      if (!holder) run = list;
    }
    const item = doc.createElement("li");
    const paragraph = doc.createElement("p");
    while (node.firstChild) paragraph.appendChild(node.firstChild);
    item.appendChild(paragraph);
    top.list.appendChild(item);
    top.item = item;
    node.remove();
  }
}

/** Attributes the editor's model reads; every other one goes. */
const KEPT_ATTRIBUTES = new Set(["href", "src", "alt", "width", "height", "colspan", "rowspan", "start"]);

/**
 * Bold and italic written as styles (`<span style="font-weight:bold">`)
 * become <strong> and <em>; then every style, class and other attribute
 * goes, so that the markup handed on sets no inline style (which the page's
 * CSP would refuse) and carries nothing the model has no place for.
 */
function keepOnlyStructure(doc, body) {
  for (const el of Array.from(body.querySelectorAll("*"))) {
    const style = el.getAttribute(STYLE) || "";
    const wrap = (tag) => {
      const mark = doc.createElement(tag);
      while (el.firstChild) mark.appendChild(el.firstChild);
      el.appendChild(mark);
    };
    if (/font-weight\s*:\s*(bold|bolder|[6-9]00)/i.test(style) && !/^(B|STRONG|H\d|TH)$/.test(el.nodeName)) wrap("strong");
    if (/font-style\s*:\s*italic/i.test(style) && !/^(I|EM)$/.test(el.nodeName)) wrap("em");
    if (/^(B|STRONG)$/.test(el.nodeName) && /font-weight\s*:\s*(normal|[1-4]00)/i.test(style)) el.replaceWith(...el.childNodes);
    for (const attribute of Array.from(el.attributes)) {
      if (!KEPT_ATTRIBUTES.has(attribute.name.toLowerCase())) el.removeAttribute(attribute.name);
    }
  }
}

/**
 * Clipboard HTML made ready for the editor: `{ html, dropped }`, where
 * `dropped` counts the pictures that were not the site's own.
 */
export function cleanPaste(html) {
  // Copied inside the editor itself: ProseMirror reads its own markup.
  if (html.includes("data-pm-slice")) return { html, dropped: 0 };
  const office = /urn:schemas-microsoft-com:office|mso-|WPS Office/i.test(html);
  // Parsing style sheets, style attributes and event handlers, even in a
  // document of its own, trips the page's CSP: the <style> blocks go before
  // parsing, and those attributes are parsed under other names.
  const defused = html
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    .replace(/<[a-zA-Z][^<>]*>/g, (tag) =>
      tag
        .replace(/(\s)style\s*=/gi, "$1" + STYLE + "=")
        // Event handlers (onclick=...) would be compiled under the CSP too.
        .replace(/(\s)on([a-zA-Z]+\s*=)/g, "$1data-pasted-on$2"),
    );
  const doc = new DOMParser().parseFromString(defused, "text/html");
  const body = doc.body;
  removeComments(body);
  removeAll(body, "script, style, meta, link, title, template, iframe, object, embed, noscript, svg, math");
  // Office's empty-paragraph fillers and namespaced elements (<o:p>, <w:sdt>).
  for (const el of Array.from(body.querySelectorAll("*"))) {
    if (el.nodeName.includes(":")) {
      if (/^O:P$/i.test(el.nodeName)) el.remove();
      else el.replaceWith(...el.childNodes);
    }
  }
  if (office) {
    // Word's comments, hidden text and tracked changes are not the text:
    // comments and deletions go, insertions stay as plain text.
    for (const el of Array.from(body.querySelectorAll(`[${STYLE}]`))) {
      if (/mso-element:\s*comment|mso-hide:\s*all/i.test(el.getAttribute(STYLE))) el.remove();
    }
    removeAll(body, "a.msocomanchor, del, .msocomtxt");
    for (const ins of Array.from(body.querySelectorAll("ins"))) ins.replaceWith(...ins.childNodes);
  }
  let dropped = 0;
  for (const img of Array.from(body.querySelectorAll("img"))) {
    // The site's own pictures, copied with their full address, are paths.
    const src = img.getAttribute("src") || "";
    if (src.startsWith(location.origin + "/")) img.setAttribute("src", src.slice(location.origin.length));
    if (!sitePicture(img.getAttribute("src"))) {
      img.remove();
      dropped += 1;
    }
  }
  convertLists(doc, body);
  keepOnlyStructure(doc, body);
  // Paragraphs left empty (Office's blank lines, a removed picture's).
  for (const paragraph of Array.from(body.querySelectorAll("p"))) {
    if (!paragraph.textContent.replace(/\u00a0/g, " ").trim() && !paragraph.querySelector("img, br")) paragraph.remove();
  }
  return { html: body.innerHTML, dropped };
}
