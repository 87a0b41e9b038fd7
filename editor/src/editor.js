// The article body's rich-text editor (ProseMirror). It takes the place of
// the form's body field: the field stays in the form, hidden, and holds the
// body HTML of what is shown, so the form's save, the autosave and the page
// without scripts all send the same thing, and the server sanitises it
// again whatever arrives. No inline styles or scripts: it works under the
// back office's Content-Security-Policy. The toolbar's buttons and words
// come from the page (they are in the interface's language).
import { DOMParser as ModelParser, DOMSerializer } from "prosemirror-model";
import { EditorState, Plugin } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { history, undo, redo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import { baseKeymap, toggleMark, setBlockType, wrapIn, lift } from "prosemirror-commands";
import { wrapInList, splitListItem, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { tableEditing, goToNextCell } from "prosemirror-tables";
import { schema, keptHref } from "./schema.js";
import { cleanPaste } from "./paste.js";

function parse(html) {
  const holder = document.createElement("div");
  // Parsed in an inert document: nothing in it loads or runs.
  const inert = new window.DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  holder.append(...inert.body.childNodes);
  return ModelParser.fromSchema(schema).parse(holder);
}

function serialize(doc) {
  const holder = document.createElement("div");
  holder.appendChild(DOMSerializer.fromSchema(schema).serializeFragment(doc.content));
  // An empty editor is an empty body, not an empty paragraph.
  return doc.textContent.trim() || doc.childCount > 1 || doc.firstChild.type !== schema.nodes.paragraph ? holder.innerHTML : "";
}

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  return empty ? !!type.isInSet(state.storedMarks || $from.marks()) : state.doc.rangeHasMark(from, to, type);
}

function toggleLink(state, dispatch, view, ask) {
  const type = schema.marks.link;
  if (markActive(state, type)) return toggleMark(type)(state, dispatch);
  if (state.selection.empty) return false;
  if (!dispatch) return true;
  const href = (ask() || "").trim();
  if (!href || !keptHref(href)) return false;
  return toggleMark(type, { href })(view.state, view.dispatch);
}

/** The kind of block the selection starts in: paragraph, h2, h3 ... */
function blockOf(state) {
  const node = state.selection.$from.parent;
  if (node.type === schema.nodes.heading) return "h" + node.attrs.level;
  return node.type === schema.nodes.paragraph ? "paragraph" : node.type.name;
}

const COMMANDS = {
  paragraph: () => setBlockType(schema.nodes.paragraph),
  h2: () => setBlockType(schema.nodes.heading, { level: 2 }),
  h3: () => setBlockType(schema.nodes.heading, { level: 3 }),
  bold: () => toggleMark(schema.marks.strong),
  italic: () => toggleMark(schema.marks.em),
  bullets: () => wrapInList(schema.nodes.bullet_list),
  numbers: () => wrapInList(schema.nodes.ordered_list),
  quote: () => wrapIn(schema.nodes.blockquote),
  lift: () => (state, dispatch) => liftListItem(schema.nodes.list_item)(state, dispatch) || lift(state, dispatch),
  undo: () => undo,
  redo: () => redo,
};

function start() {
  const field = document.getElementById("body");
  const toolbar = document.getElementById("editor-toolbar");
  const notice = document.getElementById("editor-notice");
  if (!field || !toolbar) return null;
  const mount = document.createElement("div");
  mount.className = "editor";
  field.before(mount);
  field.hidden = true;
  toolbar.hidden = false;

  const tell = (text) => {
    if (notice) notice.textContent = text;
  };
  const pasteNotice = (n) => (notice ? (notice.getAttribute("data-dropped") || "").replace("{n}", String(n)) : "");
  const ask = () => window.prompt(toolbar.getAttribute("data-link-prompt") || "URL", "https://");

  const state = EditorState.create({
    doc: parse(field.value),
    plugins: [
      history(),
      keymap({
        "Mod-z": undo,
        "Shift-Mod-z": redo,
        "Mod-y": redo,
        "Mod-b": toggleMark(schema.marks.strong),
        "Mod-i": toggleMark(schema.marks.em),
        "Shift-Enter": (s, d) => {
          if (d) d(s.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView());
          return true;
        },
        Enter: splitListItem(schema.nodes.list_item),
        Tab: (s, d) => goToNextCell(1)(s, d) || sinkListItem(schema.nodes.list_item)(s, d),
        "Shift-Tab": (s, d) => goToNextCell(-1)(s, d) || liftListItem(schema.nodes.list_item)(s, d),
      }),
      keymap(baseKeymap),
      tableEditing(),
      new Plugin({
        props: {
          transformPastedHTML(html) {
            const cleaned = cleanPaste(html);
            tell(cleaned.dropped ? pasteNotice(cleaned.dropped) : "");
            return cleaned.html;
          },
        },
      }),
    ],
  });
  const label = document.querySelector("label[for=body]");
  if (label && !label.id) label.id = "body-label";
  // The field's hint and, after a refused save, its problem.
  const described = ["body-hint", "body-problem"].filter((id) => document.getElementById(id)).join(" ");
  const view = new EditorView(mount, {
    state,
    attributes: {
      role: "textbox",
      "aria-multiline": "true",
      "aria-labelledby": label ? label.id : "",
      "aria-describedby": described,
      id: "body-editor",
      class: "editor-body",
    },
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      if (tr.docChanged) later();
      refresh();
    },
  });
  // The field follows the document a moment after typing stops (a long
  // article is not serialised on every key), and at once before the form
  // is sent or autosaved.
  let timer = 0;
  function flush() {
    clearTimeout(timer);
    timer = 0;
    const html = serialize(view.state.doc);
    if (html !== field.value) {
      field.value = html;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(flush, 250);
  }
  field.form.addEventListener("submit", flush, true);
  field.form.addEventListener("gazette:before-autosave", flush);
  toolbar.setAttribute("aria-controls", "body-editor");

  const buttons = Array.from(toolbar.querySelectorAll("button[data-command]"));
  function refresh() {
    for (const button of buttons) {
      const name = button.getAttribute("data-command");
      const command = name === "link" ? (s) => markActive(s, schema.marks.link) || !s.selection.empty : COMMANDS[name]();
      const mark = { bold: schema.marks.strong, italic: schema.marks.em, link: schema.marks.link }[name];
      const isBlock = name === "paragraph" || name === "h2" || name === "h3";
      const pressed = mark ? markActive(view.state, mark) : isBlock && blockOf(view.state) === name;
      if (mark || isBlock) button.setAttribute("aria-pressed", String(pressed));
      // A pressed block button stays usable: it says where the cursor is.
      button.disabled = !command(view.state) && !(isBlock && pressed);
    }
  }
  // Arrow keys move along the toolbar, as in any toolbar.
  toolbar.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const enabled = buttons.filter((b) => !b.disabled);
    const next = enabled[(enabled.indexOf(document.activeElement) + step + enabled.length) % enabled.length];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
  for (const button of buttons) {
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      const name = button.getAttribute("data-command");
      if (name === "link") toggleLink(view.state, view.dispatch, view, ask);
      else COMMANDS[name]()(view.state, view.dispatch, view);
      view.focus();
    });
  }
  refresh();
  return { view, field };
}

const editor = start();
// For the browser tests: the paste clean-up on its own, and the view.
window.gazetteEditor = { cleanPaste, editor };
