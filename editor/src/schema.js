// The editor's document model: exactly the body HTML the server keeps
// (crates/gazette-render/src/body.rs), so that what the editor shows is what
// readers get and nothing the editor makes is removed on saving. Anything
// else met while parsing (fonts, colours, spans, classes) has no place in
// the model and is left out; its text stays.
import { Schema } from "prosemirror-model";
import { tableNodes } from "prosemirror-tables";

/**
 * A link target the server keeps (as body.rs does): http, https or mailto,
 * or an address with no scheme at all (relative to the page).
 */
export function keptHref(href) {
  const url = String(href || "").replace(/[\t\n\r]/g, "").trim();
  if (!url) return false;
  const scheme = url.match(/^([a-zA-Z][a-zA-Z0-9+.-]*):/);
  return !scheme || /^(https?|mailto)$/i.test(scheme[1]);
}

/** A picture the server keeps: only from the site itself. */
export function sitePicture(src) {
  const url = String(src || "").replace(/[\t\n\r]/g, "").trim();
  return url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\");
}

const headingLevel = { H1: 2, H2: 2, H3: 3, H4: 4, H5: 4, H6: 4 };

export const schema = new Schema({
  nodes: {
    doc: { content: "block+" },
    paragraph: {
      group: "block",
      content: "inline*",
      parseDOM: [{ tag: "p" }],
      toDOM: () => ["p", 0],
    },
    heading: {
      group: "block",
      content: "inline*",
      defining: true,
      attrs: { level: { default: 2 } },
      // The title is the page's h1: a pasted h1 becomes a subheading.
      parseDOM: ["h1", "h2", "h3", "h4", "h5", "h6"].map((tag) => ({
        tag,
        getAttrs: (node) => ({ level: headingLevel[node.nodeName] || 2 }),
      })),
      toDOM: (node) => ["h" + node.attrs.level, 0],
    },
    blockquote: {
      group: "block",
      content: "block+",
      defining: true,
      parseDOM: [{ tag: "blockquote" }],
      toDOM: () => ["blockquote", 0],
    },
    horizontal_rule: {
      group: "block",
      parseDOM: [{ tag: "hr" }],
      toDOM: () => ["hr"],
    },
    bullet_list: {
      group: "block",
      content: "list_item+",
      parseDOM: [{ tag: "ul" }],
      toDOM: () => ["ul", 0],
    },
    ordered_list: {
      group: "block",
      content: "list_item+",
      attrs: { start: { default: 1 } },
      parseDOM: [
        {
          tag: "ol",
          getAttrs: (node) => {
            const start = Number(node.getAttribute("start"));
            return { start: node.hasAttribute("start") && Number.isInteger(start) && start >= 0 ? start : 1 };
          },
        },
      ],
      toDOM: (node) => (node.attrs.start === 1 ? ["ol", 0] : ["ol", { start: String(node.attrs.start) }, 0]),
    },
    list_item: {
      content: "paragraph block*",
      defining: true,
      parseDOM: [{ tag: "li" }],
      toDOM: () => ["li", 0],
    },
    figure: {
      group: "block",
      atom: true,
      draggable: true,
      attrs: { src: {}, alt: { default: "" }, width: { default: null }, height: { default: null }, caption: { default: "" } },
      parseDOM: [
        {
          tag: "figure",
          getAttrs(node) {
            const img = node.querySelector("img");
            if (!img || !sitePicture(img.getAttribute("src"))) return false;
            const caption = node.querySelector("figcaption");
            return {
              src: img.getAttribute("src"),
              alt: img.getAttribute("alt") || "",
              width: img.getAttribute("width"),
              height: img.getAttribute("height"),
              caption: caption ? caption.textContent.trim() : "",
            };
          },
        },
        {
          tag: "img",
          getAttrs(node) {
            if (!sitePicture(node.getAttribute("src"))) return false;
            return { src: node.getAttribute("src"), alt: node.getAttribute("alt") || "", width: node.getAttribute("width"), height: node.getAttribute("height") };
          },
        },
      ],
      toDOM(node) {
        // Body pictures load when they come near the screen.
        const img = { src: node.attrs.src, alt: node.attrs.alt, loading: "lazy", decoding: "async" };
        if (node.attrs.width) img.width = node.attrs.width;
        if (node.attrs.height) img.height = node.attrs.height;
        return node.attrs.caption ? ["figure", ["img", img], ["figcaption", node.attrs.caption]] : ["figure", ["img", img]];
      },
    },
    ...tableNodes({ tableGroup: "block", cellContent: "block+", cellAttributes: {} }),
    text: { group: "inline" },
    hard_break: {
      inline: true,
      group: "inline",
      selectable: false,
      parseDOM: [{ tag: "br" }],
      toDOM: () => ["br"],
    },
  },
  marks: {
    link: {
      attrs: { href: {} },
      inclusive: false,
      parseDOM: [
        {
          tag: "a[href]",
          getAttrs: (node) => (keptHref(node.getAttribute("href")) ? { href: node.getAttribute("href").trim() } : false),
        },
      ],
      toDOM: (mark) => ["a", { href: mark.attrs.href, rel: "noopener noreferrer" }, 0],
    },
    strong: {
      parseDOM: [
        { tag: "strong" },
        // Word and WPS write <b>; some pages write <b style="font-weight:normal">.
        { tag: "b", getAttrs: (node) => node.style.fontWeight !== "normal" && null },
        { style: "font-weight", getAttrs: (value) => /^(bold(er)?|[6-9]\d\d)$/.test(value) && null },
      ],
      toDOM: () => ["strong", 0],
    },
    em: {
      parseDOM: [{ tag: "em" }, { tag: "i" }, { style: "font-style=italic" }],
      toDOM: () => ["em", 0],
    },
    strike: {
      parseDOM: [{ tag: "s" }, { tag: "del" }, { tag: "strike" }],
      toDOM: () => ["s", 0],
    },
    sub: { excludes: "sup", parseDOM: [{ tag: "sub" }], toDOM: () => ["sub", 0] },
    sup: { excludes: "sub", parseDOM: [{ tag: "sup" }], toDOM: () => ["sup", 0] },
  },
});
