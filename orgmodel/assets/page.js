// orgmodel's history page. It draws the JSON document orgmodel wrote into this file and decides
// nothing about the organisation: trees, events and their words, marks, lineages and every word
// of the page come from the document. Data goes onto the page as text nodes only.
(function () {
  "use strict";

  var doc = JSON.parse(document.getElementById("orgmodel-data").textContent);
  if (doc.version !== 1) {
    throw new Error("orgmodel page: unknown document version " + doc.version);
  }
  var L = doc.labels;
  var last = doc.dates.length - 1;
  var state = {
    index: last,
    open: null, // id of the unit whose record is open
    collapsed: Object.create(null), // unit id -> true (kept across dates)
    zoom: 1,
    view: "tree",
    flowLevel: 1,
    byId: null, // unit id -> record, for the date shown
    kids: null, // unit id -> child records, for the date shown
  };
  var $ = function (id) { return document.getElementById(id); };

  // ---- small DOM helpers: text only, never markup ----
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function word(value) { return value in doc.words ? doc.words[value] : value; }
  function markColour(kind) { return doc.mark_colours[kind] || "#777777"; }
  function kindWord(kind) { return doc.kinds[kind] ? doc.kinds[kind].word : kind; }

  // ---- the date control ----
  function setupDates() {
    var slider = $("slider");
    slider.max = String(last);
    var select = $("dates");
    doc.snapshots.forEach(function (snap, i) {
      var option = el("option", null, snap.date + (snap.title ? " \u2014 " + snap.title : ""));
      option.value = String(i);
      select.appendChild(option);
    });
    slider.addEventListener("input", function () { go(Number(slider.value)); });
    select.addEventListener("change", function () { go(Number(select.value)); });
    $("prev").addEventListener("click", function () { go(state.index - 1); });
    $("next").addEventListener("click", function () { go(state.index + 1); });
    $("prev").title = L.previous;
    $("next").title = L.next;
    slider.title = L.date;
    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
      if (event.key === "ArrowLeft") { go(state.index - 1); event.preventDefault(); }
      if (event.key === "ArrowRight") { go(state.index + 1); event.preventDefault(); }
    });
  }

  function go(index, keepHash) {
    if (index < 0 || index > last || isNaN(index)) return;
    state.index = index;
    render();
    if (!keepHash) writeHash();
  }

  function render() {
    var i = state.index;
    var snap = doc.snapshots[i];
    $("slider").value = String(i);
    $("dates").value = String(i);
    $("prev").disabled = i === 0;
    $("next").disabled = i === last;
    $("snapdate").textContent = snap.date;
    $("snapspan").textContent = "(" + (snap.until ? L.in_force_until + " " + snap.until : L.latest) +
      " \u00b7 " + snap.units.length + " " + L.units + ")";
    $("snaptitle").textContent = snap.title || "";
    indexTree(i);
    if (state.view === "tree") drawTree();
    else drawFlow();
    drawChanges();
    drawLegend();
    if (state.open !== null) drawRecord(state.open);
  }

  // ---- the tree ----
  function indexTree(i) {
    var byId = Object.create(null);
    var kids = Object.create(null);
    var root = null;
    doc.snapshots[i].units.forEach(function (r) {
      var rec = doc.records[r];
      byId[rec.id] = rec;
      if (rec.parent === undefined) { if (root === null) root = rec; }
      else (kids[rec.parent] || (kids[rec.parent] = [])).push(rec);
    });
    state.byId = byId;
    state.kids = kids;
    state.root = root;
  }

  function markedBelow(id, marks, memo) {
    // How many marked units lie below a unit: shown on a collapsed branch.
    if (id in memo) return memo[id];
    var n = 0;
    (state.kids[id] || []).forEach(function (rec) {
      if (rec.id in marks) n += 1;
      n += markedBelow(rec.id, marks, memo);
    });
    memo[id] = n;
    return n;
  }

  function box(rec, marks) {
    var b = el("div", "box " + rec.standing);
    b.setAttribute("role", "button");
    b.tabIndex = 0;
    b.dataset.id = rec.id;
    var kind = doc.kinds[rec.kind];
    b.style.setProperty("--kc", kind ? kind.colour : "#cccccc");
    if (rec.status === "listed") b.classList.add("listed");
    if (rec.confidence === "unconfirmed") b.classList.add("unconfirmed");
    add(b, el("span", "nm", rec.label));
    var tip = rec.label + " [" + rec.id + "] \u00b7 " + kindWord(rec.kind) + " \u00b7 " + word(rec.status);
    if (rec.plan) {
      add(b, el("span", "mk plan", "\u25b2"));
      tip += " \u00b7 " + word(rec.plan);
    }
    if (rec.confidence === "unconfirmed") add(b, el("span", "mk", "?"));
    else if (rec.confidence === "single-source") add(b, el("span", "mk", "\u00b9"));
    if (rec.confidence) tip += " \u00b7 " + word(rec.confidence);
    var mark = marks[rec.id];
    if (mark) {
      b.classList.add("marked");
      b.style.setProperty("--mc", markColour(mark));
      var tag = el("span", "tag", doc.kind_titles[mark]);
      tag.style.setProperty("--mc", markColour(mark));
      add(b, tag);
      b.dataset.mark = mark;
      tip += " \u00b7 " + doc.kind_titles[mark];
    }
    if (state.open === rec.id) b.classList.add("open");
    b.title = tip;
    return b;
  }

  // The tree is kept between dates and patched: a unit's box is made again only when its
  // record, its mark or its fold changes, and a list of children is patched in place (only
  // the items that came, went or moved are inserted or removed). Branches that did not change
  // keep their layout, so a change of date costs mostly what changed.
  var drawn = Object.create(null); // unit id -> {li, node, box, tog, sub, rec, mark, togSig}

  function entryFor(id) {
    var e = drawn[id];
    if (!e) {
      e = drawn[id] = { li: el("li"), node: el("div", "node"), box: null, tog: null, sub: null,
        rec: null, mark: null, togSig: "" };
      e.li.appendChild(e.node);
    }
    return e;
  }

  function toggle(rec, children, marks, memo) {
    var collapsed = !!state.collapsed[rec.id];
    var tog = el("button", "tog", collapsed ? "+" + children.length : "\u2212");
    tog.type = "button";
    tog.dataset.id = rec.id;
    tog.title = collapsed ? L.expand : L.collapse;
    if (collapsed) {
      var hidden = markedBelow(rec.id, marks, memo);
      if (hidden) {
        tog.classList.add("hidden-changes");
        tog.textContent += " \u00b7 " + hidden + " " + L.below;
      }
    }
    return tog;
  }

  function sync(rec, marks, memo, cls) {
    var e = entryFor(rec.id);
    if (e.li.className !== cls) e.li.className = cls;
    var mark = marks[rec.id] || null;
    if (e.rec !== rec || e.mark !== mark) {
      var made = box(rec, marks);
      if (e.box) e.node.replaceChild(made, e.box);
      else e.node.insertBefore(made, e.node.firstChild);
      e.box = made;
      e.rec = rec;
      e.mark = mark;
    }
    var children = state.kids[rec.id];
    var collapsed = !!state.collapsed[rec.id];
    var togSig = children ? collapsed + "|" + children.length + "|" +
      (collapsed ? markedBelow(rec.id, marks, memo) : 0) : "";
    if (togSig !== e.togSig) {
      if (e.tog) e.node.removeChild(e.tog);
      e.tog = children ? e.node.appendChild(toggle(rec, children, marks, memo)) : null;
      e.togSig = togSig;
    }
    var mode = "";
    var items = [];
    if (children && !collapsed) {
      var leaves = children.filter(function (c) { return !state.kids[c.id]; });
      var inner = children.filter(function (c) { return !!state.kids[c.id]; });
      if (leaves.length === children.length && leaves.length > 2) {
        mode = "stack";
        items = leaves.map(function (c, k) { return sync(c, marks, memo, k % 2 === 0 ? "l" : "r"); });
      } else {
        // Many leaves beside branches: the branches in a row, the leaves stacked after them.
        mode = "kids";
        var stackLeaves = leaves.length >= LEAF_STACK && inner.length > 0;
        items = (stackLeaves ? inner : children).map(function (c) { return sync(c, marks, memo, ""); });
        if (stackLeaves) items.push(leafStack(rec.id, leaves, marks, memo));
      }
    }
    // Checked on every drawing, not only when the children change: another list may have
    // taken one of this list's items (a unit that moved away and back).
    var list = mode ? childList(mode, items, e.sub) : null;
    if (list !== e.sub) {
      if (e.sub) e.li.removeChild(e.sub);
      if (list) e.li.appendChild(list);
      e.sub = list;
    }
    return e.li;
  }

  var LEAF_STACK = 4; // leaves of a unit that also has branches stack when there are this many
  var stacks = Object.create(null); // unit id -> {li, sub}: the stack of its leaves

  function leafStack(id, leaves, marks, memo) {
    var e = stacks[id] || (stacks[id] = { li: el("li", "leaves"), sub: null });
    var items = leaves.map(function (c, k) { return sync(c, marks, memo, k % 2 === 0 ? "l" : "r"); });
    var list = childList("stack", items, e.sub);
    if (list !== e.sub) {
      if (e.sub) e.li.removeChild(e.sub);
      e.sub = e.li.appendChild(list);
    }
    return e.li;
  }

  function inPlace(node, items) {
    for (var k = 0; k < items.length; k++, node = node.nextSibling) {
      if (node !== items[k]) return false;
    }
    return node === null;
  }

  function childList(mode, items, ul) {
    // The list of a unit's children, patched in place when it has the same form: an item
    // already in its place stays put. The browser builds a moved or re-inserted item's whole
    // branch again (its style and layout), so a list is never rebuilt for one new child.
    if (!ul || ul.className !== mode) {
      ul = el("ul", mode);
      if (mode === "stack") ul.appendChild(el("div", "spine"));
    }
    var spine = mode === "stack" ? ul.firstChild : null;
    var first = spine ? spine.nextSibling : ul.firstChild;
    if (inPlace(first, items)) return ul;
    if (spine) spine.style.gridRow = "1 / span " + Math.ceil(items.length / 2);
    var wanted = new Set(items);
    for (var c = spine ? spine.nextSibling : ul.firstChild; c !== null;) {
      var after = c.nextSibling;
      if (!wanted.has(c)) ul.removeChild(c);
      c = after;
    }
    var at = spine ? spine.nextSibling : ul.firstChild;
    items.forEach(function (li) {
      if (at === li) at = at.nextSibling;
      else ul.insertBefore(li, at);
    });
    return ul;
  }

  function drawTree() {
    var canvas = $("canvas");
    if (state.root === null) { clear(canvas); return; }
    var marks = doc.steps[state.index].marks;
    var top = sync(state.root, marks, Object.create(null), "root");
    var tree = canvas.firstChild;
    if (!tree) tree = canvas.appendChild(el("ul", "tree"));
    if (tree.firstChild !== top || tree.childNodes.length !== 1) {
      clear(tree);
      tree.appendChild(top);
    }
  }

  function setupTree() {
    var canvas = $("canvas");
    canvas.addEventListener("click", function (event) {
      var target = event.target.closest(".tog, .box");
      if (!target) return;
      var id = target.dataset.id;
      if (target.classList.contains("tog")) {
        if (state.collapsed[id]) delete state.collapsed[id];
        else state.collapsed[id] = true;
        drawTree();
      } else {
        openRecord(id);
      }
    });
    canvas.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.classList.contains("box")) {
        openRecord(event.target.dataset.id);
      }
    });
    $("expand-all").addEventListener("click", function () {
      state.collapsed = Object.create(null);
      drawTree();
    });
    $("collapse-all").addEventListener("click", function () {
      state.collapsed = Object.create(null);
      var kids = state.kids;
      (kids[state.root.id] || []).forEach(function (rec) {
        if (kids[rec.id]) state.collapsed[rec.id] = true;
      });
      drawTree();
    });
    $("zoom-in").title = L.zoom_in;
    $("zoom-out").title = L.zoom_out;
    $("zoom-in").addEventListener("click", function () { zoom(state.zoom * 1.25); });
    $("zoom-out").addEventListener("click", function () { zoom(state.zoom / 1.25); });
    $("zoom-fit").addEventListener("click", fit);
    $("viewport").addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      zoom(state.zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
    }, { passive: false });
  }

  function zoom(factor) {
    state.zoom = Math.max(0.05, Math.min(3, factor));
    $("canvas").style.zoom = String(state.zoom);
    $("zoomlevel").textContent = Math.round(state.zoom * 100) + "%";
  }

  function fit() {
    var canvas = $("canvas");
    var viewport = $("viewport");
    var room = viewport.clientWidth - 40;
    // Labels wrap a little differently at another zoom, so measure again after the first try.
    for (var k = 0; k < 2; k++) {
      var width = canvas.scrollWidth; // in unzoomed pixels
      if (width > 0) zoom(Math.min(1, room / width));
    }
    // Show the middle of what is left over when even the smallest zoom is too wide.
    viewport.scrollLeft = Math.max(0, (viewport.scrollWidth - viewport.clientWidth) / 2);
  }

  function showUnit(id) {
    // Open the branches above a unit, and bring its box into view.
    var rec = state.byId[id];
    if (!rec) return;
    var changed = false;
    for (var p = rec.parent; p !== undefined; p = state.byId[p] ? state.byId[p].parent : undefined) {
      if (state.collapsed[p]) { delete state.collapsed[p]; changed = true; }
    }
    if (changed && state.view === "tree") drawTree();
    var found = boxOf(id);
    if (found) {
      found.scrollIntoView({ block: "center", inline: "center" });
      found.classList.remove("flash");
      void found.offsetWidth;
      found.classList.add("flash");
    }
  }

  function boxOf(id) {
    var e = drawn[id];
    return e && e.box && e.box.isConnected && state.byId[id] ? e.box : null;
  }

  // ---- the changes of the step ----
  function unitLink(id, text) {
    var a = el("a", "ulink", text);
    a.dataset.unit = id;
    return a;
  }

  function drawChanges() {
    var pane = clear($("changes"));
    var step = doc.steps[state.index];
    if (step.since === null) {
      add(pane, el("h2", null, doc.snapshots[state.index].date), el("p", null, L.first_snapshot));
      return;
    }
    var n = step.events.length;
    add(pane, el("h2", null, L.changes + " " + step.since + ": " + n + " " +
      (n === 1 ? L.change : L.changes_n)));
    if (!n) { add(pane, el("p", null, L.no_changes)); return; }
    var group = null;
    var list = null;
    step.events.forEach(function (e) {
      var event = doc.events[e];
      if (event.kind !== group) {
        group = event.kind;
        var count = step.events.filter(function (x) { return doc.events[x].kind === group; }).length;
        var head = el("h3");
        var tag = el("span", "tag", event.title);
        tag.style.setProperty("--mc", markColour(event.kind));
        add(head, tag, "(" + count + ")");
        list = el("ol");
        add(pane, head, list);
      }
      var item = el("li", "ev", event.line);
      item.dataset.kind = event.kind;
      var target = event.units.filter(function (id) { return id in state.byId; })[0];
      item.dataset.unit = target !== undefined ? target : event.units[0];
      if (target === undefined) add(item, " ", el("span", "gone", "(" + L.gone + ")"));
      list.appendChild(item);
    });
  }

  function setupChanges() {
    $("changes").addEventListener("click", function (event) {
      var item = event.target.closest("[data-unit]");
      if (!item) return;
      var id = item.dataset.unit;
      openRecord(id);
      showUnit(id);
    });
    $("record").addEventListener("click", function (event) {
      if (event.target.closest(".close")) { closeRecord(); return; }
      var link = event.target.closest("[data-unit]");
      if (link) { openRecord(link.dataset.unit); showUnit(link.dataset.unit); }
    });
  }

  // ---- a unit's record ----
  function recordAt(id) {
    // The record in force on the date shown, else the one of the nearest snapshot holding it.
    if (state.byId[id]) return { rec: state.byId[id], index: state.index };
    var seen = doc.presence[id] || [];
    var before = seen.filter(function (k) { return k < state.index; });
    var k = before.length ? before[before.length - 1] : seen[0];
    if (k === undefined) return null;
    var snap = doc.snapshots[k];
    for (var j = 0; j < snap.units.length; j++) {
      var rec = doc.records[snap.units[j]];
      if (rec.id === id) return { rec: rec, index: k };
    }
    return null;
  }

  function openRecord(id) {
    state.open = id;
    drawRecord(id);
    var boxes = $("canvas").querySelectorAll(".box.open");
    for (var k = 0; k < boxes.length; k++) boxes[k].classList.remove("open");
    var b = boxOf(id);
    if (b) b.classList.add("open");
    writeHash();
  }

  function closeRecord() {
    state.open = null;
    $("record").hidden = true;
    var b = $("canvas").querySelector(".box.open");
    if (b) b.classList.remove("open");
    writeHash();
  }

  function row2(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    add(dl, el("dt", null, term), add(el("dd"), value));
  }

  function drawRecord(id) {
    var pane = clear($("record"));
    pane.hidden = false;
    var found = recordAt(id);
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.title = L.close;
    pane.appendChild(close);
    if (found === null) return;
    var rec = found.rec;
    var date = doc.snapshots[found.index].date;
    add(pane, el("h2", null, rec.label), el("span", "uid", rec.id));
    var when = el("p", null, L.record_on + " " + date);
    if (found.index !== state.index) add(when, " \u2014 ", el("span", "gone", L.not_in_force));
    pane.appendChild(when);
    var dl = el("dl");
    row2(dl, L.name, rec.name);
    row2(dl, L.name_zh, rec.name_zh);
    var kind = doc.kinds[rec.kind];
    var sw = el("span", "swatch");
    sw.style.setProperty("--kc", kind ? kind.colour : "#cccccc");
    row2(dl, L.kind, add(el("span"), sw, kindWord(rec.kind) + (kind && kind.description ? " \u2014 " + kind.description : "")));
    row2(dl, L.status, word(rec.status));
    row2(dl, L.plan, rec.plan ? word(rec.plan) : null);
    row2(dl, L.parents, chain(rec, found.index));
    row2(dl, L.confidence, rec.confidence ? word(rec.confidence) : null);
    if (rec.field_confidence) {
      var parts = Object.keys(rec.field_confidence).map(function (f) {
        return f + ": " + word(rec.field_confidence[f]);
      });
      row2(dl, L.field_confidence, parts.join("; "));
    }
    if (rec.lineage) {
      var from = el("span");
      rec.lineage.forEach(function (p, k) {
        if (k) add(from, ", ");
        add(from, unitLink(p, nameOf(p)));
      });
      row2(dl, L.predecessors, from);
    }
    row2(dl, L.note, rec.note);
    pane.appendChild(dl);
    if (rec.leaders) {
      var leaders = el("ol");
      rec.leaders.forEach(function (p) {
        var li = el("li", null, p.name + (p.name_zh ? " (" + p.name_zh + ")" : "") + " \u2014 " + p.role);
        if (p.confidence) add(li, " \u00b7 " + word(p.confidence));
        if (p.sources) add(li, " [" + p.sources.join(", ") + "]");
        leaders.appendChild(li);
      });
      add(pane, el("h3", null, L.leaders), leaders);
    }
    drawLineage(pane, id);
    drawSources(pane, rec.sources || []);
  }

  function nameOf(id) {
    var found = recordAt(id);
    return found ? found.rec.label : id;
  }

  function chain(rec, index) {
    var byId = Object.create(null);
    doc.snapshots[index].units.forEach(function (r) { byId[doc.records[r].id] = doc.records[r]; });
    var ids = [];
    for (var p = rec.parent; p !== undefined && byId[p] && ids.length < 200; p = byId[p].parent) ids.push(p);
    if (!ids.length) return L.root;
    var span = el("span", "chain");
    ids.reverse().forEach(function (p, k) {
      if (k) add(span, " \u203a ");
      add(span, unitLink(p, byId[p].label));
    });
    return span;
  }

  function drawSources(pane, keys) {
    if (!keys.length) return;
    var list = el("ol");
    keys.forEach(function (key) {
      var s = doc.sources[key];
      var li = el("li", "src");
      if (!s) { add(li, key); list.appendChild(li); return; }
      if (s.url) {
        var a = el("a", null, s.title);
        a.href = s.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        add(li, s.title);
      }
      add(li, " ", el("span", "pub", "\u2014 " + s.publisher + ", " + s.date + (s.language ? " (" + s.language + ")" : "")));
      if (s.url_text) add(li, " ", el("span", "uid", s.url_text));
      if (s.note) add(li, el("br"), el("span", "pub", s.note));
      list.appendChild(li);
    });
    add(pane, el("h3", null, L.sources), list);
  }

  function drawLineage(pane, id) {
    var seen = doc.presence[id] || [];
    var strip = el("div", "presence");
    doc.snapshots.forEach(function (snap, k) {
      var dot = el("span", seen.indexOf(k) >= 0 ? "in" : "");
      if (k === state.index) dot.classList.add("now");
      dot.title = snap.date;
      strip.appendChild(dot);
    });
    add(pane, el("h3", null, L.presence), strip);
    var events = doc.lineage[id] || [];
    var list = el("ol", "lineage");
    var today = doc.snapshots[state.index].date;
    events.forEach(function (e) {
      var event = doc.events[e];
      var li = el("li", event.date > today ? "future" : "");
      li.style.setProperty("--mc", markColour(event.kind));
      var tag = el("span", "tag", event.title);
      tag.style.setProperty("--mc", markColour(event.kind));
      add(li, el("span", "when", event.date), tag, event.line);
      list.appendChild(li);
    });
    add(pane, el("h3", null, L.lineage), events.length ? list : el("p", null, L.no_changes));
  }

  // ---- search ----
  function setupSearch() {
    var input = $("search");
    var results = $("results");
    input.placeholder = L.search;
    input.title = L.search;
    var HOW = { id: 0, name: 1, name_zh: 2 };
    var ids = Object.keys(doc.search);
    input.addEventListener("input", function () {
      // Matches and ranks as the library's find: the folded text contained in an id or a name,
      // exact matches first, then by how it matched (id, name, Chinese name), then by id.
      var q = input.value.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
      clear(results);
      if (!q) { results.hidden = true; return; }
      var hits = [];
      ids.forEach(function (id) {
        var best = null;
        doc.search[id].forEach(function (key) {
          if (key[1].indexOf(q) < 0) return;
          var exact = key[1] === q;
          if (best === null || (exact && !best.exact)) best = { id: id, how: key[0], exact: exact };
        });
        if (best !== null) hits.push(best);
      });
      hits.sort(function (a, b) {
        return (a.exact === b.exact ? 0 : a.exact ? -1 : 1) || HOW[a.how] - HOW[b.how] ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      });
      if (!hits.length) add(results, el("li", "none", L.no_match));
      hits.slice(0, 100).forEach(function (entry) {
        var li = el("li");
        li.dataset.unit = entry.id;
        var found = recordAt(entry.id);
        add(li, found ? found.rec.label : entry.id, " ", el("span", "rid", entry.id));
        if (!state.byId[entry.id]) add(li, " ", el("span", "absent", L.not_in_force));
        results.appendChild(li);
      });
      results.hidden = false;
    });
    results.addEventListener("click", function (event) {
      var li = event.target.closest("[data-unit]");
      if (!li) return;
      results.hidden = true;
      openRecord(li.dataset.unit);
      showUnit(li.dataset.unit);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; clear(results); results.hidden = true; }
      if (event.key === "Enter") {
        var first = results.querySelector("[data-unit]");
        if (first) first.click();
      }
    });
  }

  // ---- the legend ----
  function legendGroup(title) {
    var g = el("div", "group");
    add(g, el("span", "ghead", title));
    $("legendbody").appendChild(g);
    return g;
  }

  function drawLegend() {
    clear($("legendbody"));
    var present = Object.create(null);
    var standings = Object.create(null);
    doc.snapshots[state.index].units.forEach(function (r) {
      var rec = doc.records[r];
      present[rec.kind] = true;
      standings[rec.status === "listed" ? "listed" : rec.standing] = true;
      if (rec.plan) standings.plan = true;
      if (rec.confidence === "unconfirmed") standings.unconfirmed = true;
      if (rec.confidence === "single-source") standings.single = true;
    });
    var kinds = legendGroup(L.legend_kinds);
    Object.keys(doc.kinds).forEach(function (kind) {
      if (!present[kind]) return;
      var sw = el("span", "swatch");
      sw.style.setProperty("--kc", doc.kinds[kind].colour);
      add(kinds, add(el("span"), sw, kindWord(kind)));
    });
    var stand = legendGroup(L.legend_standing);
    [["in_line", "in_line"], ["standalone", "standalone"], ["listed", "listed"], ["outside", "outside"]]
      .forEach(function (pair) {
        if (!standings[pair[0]]) return;
        var sw = el("span", "swatch " + pair[0]);
        sw.style.borderStyle = pair[0] === "standalone" ? "dashed" : pair[0] === "outside" ? "dotted" : "solid";
        if (pair[0] === "listed") sw.style.borderWidth = "3px";
        add(stand, add(el("span"), sw, L[pair[1]]));
      });
    if (standings.plan) add(stand, el("span", null, L.plan_marker));
    if (standings.unconfirmed || standings.single) {
      var conf = legendGroup(L.legend_confidence);
      if (standings.single) add(conf, el("span", null, L.single_marker));
      if (standings.unconfirmed) add(conf, el("span", null, L.unconfirmed_marker));
    }
    var marks = doc.steps[state.index].marks;
    var used = Object.create(null);
    Object.keys(marks).forEach(function (id) { used[marks[id]] = (used[marks[id]] || 0) + 1; });
    var kindsUsed = doc.mark_order.filter(function (k) { return used[k]; });
    if (kindsUsed.length) {
      var mg = legendGroup(L.legend_marks);
      kindsUsed.forEach(function (k) {
        var tag = el("span", "tag", doc.kind_titles[k]);
        tag.style.setProperty("--mc", markColour(k));
        add(mg, add(el("span"), tag, "\u00d7" + used[k]));
      });
    }
  }

  // ---- the flow view: an alluvial of one level over the snapshots, as orgmodel.flows gives it ----
  var SVG = "http://www.w3.org/2000/svg";
  var FLOW_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#8c564b", "#7f7f7f", "#bcbd22", "#9467bd", "#17becf"];

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function flowLevel() {
    var levels = doc.flows.levels;
    for (var k = 0; k < levels.length; k++) if (levels[k].level === state.flowLevel) return levels[k];
    state.flowLevel = levels[0].level;
    return levels[0];
  }

  function blockLabel(block) {
    return block.unit === null ? L.other_units.replace("{count}", block.size) : block.label;
  }

  function fitLabel(text, room) {
    // Cut a label that would run into the next column (about 6.5 px a character at 11 px).
    var most = Math.floor(room / 6.5);
    return text.length > most ? text.slice(0, Math.max(most - 1, 1)) + "\u2026" : text;
  }

  function flowLayout(flow, height) {
    // Block heights follow the units each holds, on one scale for every column.
    var gap = 6;
    var most = 1;
    flow.columns.forEach(function (c) {
      var total = 0;
      c.blocks.forEach(function (b) { total += b.size; });
      most = Math.max(most, total + gap * c.blocks.length / 1);
    });
    var scale = Math.max(0.5, (height - gap * 30) / most);
    return flow.columns.map(function (c) {
      var y = 0;
      return c.blocks.map(function (b) {
        var h = Math.max(2, b.size * scale);
        var placed = { y: y, h: h, out: 0, into: 0, scale: scale };
        y += h + gap;
        return placed;
      });
    });
  }

  function drawFlow() {
    var pane = clear($("flowpane"));
    if (!doc.flows) { add(pane, el("p", null, L.flow_missing)); return; }
    var flow = flowLevel();
    var bar = el("div", "flowbar");
    var select = el("select");
    select.id = "flow-level";
    doc.flows.levels.forEach(function (lv) {
      var option = el("option", null, L.level + " " + lv.level);
      option.value = String(lv.level);
      select.appendChild(option);
    });
    select.value = String(flow.level);
    select.addEventListener("change", function () { state.flowLevel = Number(select.value); drawFlow(); });
    add(bar, el("span", null, L.flow_note + " "), select);
    pane.appendChild(bar);
    var colWidth = 190, blockWidth = 12, top = 34, height = Math.max(420, pane.clientHeight - 90);
    var places = flowLayout(flow, height);
    var width = flow.columns.length * colWidth + 160;
    var maxY = 0;
    places.forEach(function (col) { col.forEach(function (p) { maxY = Math.max(maxY, p.y + p.h); }); });
    var root = svg("svg", { width: width, height: maxY + top + 20, role: "img" });
    root.appendChild(svg("title", {}, L.flow + " \u00b7 " + L.level + " " + flow.level));
    var colours = Object.create(null);
    var next = 0;
    function colour(block) {
      if (block.unit === null) return "#bbbbbb";
      if (!(block.unit in colours)) colours[block.unit] = FLOW_COLOURS[next++ % FLOW_COLOURS.length];
      return colours[block.unit];
    }
    flow.columns.forEach(function (c, i) {
      var x = 20 + i * colWidth;
      var band = svg("rect", { x: x - 14, y: 0, width: blockWidth + 28, height: maxY + top + 10,
        "class": "col" + (c.index === state.index ? " now" : "") });
      root.appendChild(band);
      var head = svg("text", { x: x - 10, y: 14, "class": "colhead" }, c.date);
      head.dataset.index = String(c.index);
      root.appendChild(head);
    });
    // Ribbons first, so that blocks and labels sit on top of them.
    flow.ribbons.forEach(function (r) {
      var a = places[r[0]][r[1]], b = places[r[0] + 1][r[2]];
      var h = Math.max(1, r[3] * a.scale);
      var x0 = 20 + r[0] * colWidth + blockWidth, x1 = 20 + (r[0] + 1) * colWidth, xm = (x0 + x1) / 2;
      var y0 = top + a.y + a.out, y1 = top + b.y + b.into;
      a.out += h; b.into += h;
      var d = "M" + x0 + "," + y0 + "C" + xm + "," + y0 + " " + xm + "," + y1 + " " + x1 + "," + y1 +
        "L" + x1 + "," + (y1 + h) + "C" + xm + "," + (y1 + h) + " " + xm + "," + (y0 + h) + " " + x0 + "," + (y0 + h) + "Z";
      var from = flow.columns[r[0]].blocks[r[1]], to = flow.columns[r[0] + 1].blocks[r[2]];
      var path = svg("path", { d: d, fill: colour(from), "class": "ribbon" });
      path.appendChild(svg("title", {}, blockLabel(from) + " \u2192 " + blockLabel(to) + ": " + r[3] + " " + L.units));
      root.appendChild(path);
    });
    flow.columns.forEach(function (c, i) {
      var x = 20 + i * colWidth;
      c.blocks.forEach(function (block, k) {
        var p = places[i][k];
        var rect = svg("rect", { x: x, y: top + p.y, width: blockWidth, height: p.h, fill: colour(block), "class": "block" });
        rect.dataset.unit = block.unit === null ? "" : block.unit;
        rect.dataset.size = String(block.size);
        rect.dataset.index = String(c.index);
        rect.appendChild(svg("title", {}, blockLabel(block) + ": " + block.size + " " + L.units));
        root.appendChild(rect);
        if (p.h >= 9) {
          root.appendChild(svg("text", { x: x + blockWidth + 3, y: top + p.y + Math.min(p.h / 2, 12) + 4,
            "class": "blabel" }, fitLabel(blockLabel(block), colWidth - blockWidth - 10)));
        }
      });
    });
    root.addEventListener("click", function (event) {
      var target = event.target;
      if (!target.dataset || target.dataset.index === undefined) return;
      var index = Number(target.dataset.index);
      if (target.dataset.unit) { state.index = index; state.open = target.dataset.unit; render(); writeHash(); }
      else if (target.classList.contains("colhead")) go(index);
    });
    pane.appendChild(root);
    // Keep the column of the date shown in view.
    var now = flow.columns.filter(function (c) { return c.index <= state.index; }).length - 1;
    var x = 20 + Math.max(now, 0) * colWidth;
    if (x < pane.scrollLeft || x > pane.scrollLeft + pane.clientWidth - colWidth) {
      pane.scrollLeft = Math.max(0, x - pane.clientWidth / 2);
    }
  }

  function setView(view) {
    state.view = view;
    $("view-tree").classList.toggle("on", view === "tree");
    $("view-flow").classList.toggle("on", view === "flow");
    $("viewport").hidden = view !== "tree";
    $("toolbar").hidden = view !== "tree";
    $("flowpane").hidden = view !== "flow";
    // The legend tells what the tree's boxes mean; the flow view colours each unit its own way.
    $("legend").hidden = view !== "tree";
    render();
    writeHash();
  }

  // ---- the address: #date/unit/view, so a state can be linked to ----
  function writeHash() {
    var parts = [doc.dates[state.index], state.open || "", state.view === "flow" ? "flow" : ""];
    while (parts.length && !parts[parts.length - 1]) parts.pop();
    var hash = "#" + parts.map(encodeURIComponent).join("/");
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  function readHash() {
    var parts = location.hash.replace(/^#/, "").split("/").map(decodeURIComponent);
    var i = doc.dates.indexOf(parts[0]);
    if (i < 0 && parts[0]) {
      // A date between snapshots selects the one in force on it.
      doc.dates.forEach(function (d, k) { if (d <= parts[0]) i = k; });
    }
    if (i >= 0) state.index = i;
    state.open = parts[1] && doc.presence[parts[1]] ? parts[1] : null;
    state.view = parts[2] === "flow" && doc.flows ? "flow" : "tree";
  }

  function followHash() {
    readHash();
    setView(state.view);
    if (state.open === null) $("record").hidden = true;
    else showUnit(state.open);
  }

  // ---- start ----
  var BIG = 120; // a tree of more units opens with only its top two levels shown

  function firstCollapse() {
    indexTree(state.index);
    if (doc.snapshots[state.index].units.length <= BIG || state.root === null) return;
    var kids = state.kids;
    (kids[state.root.id] || []).forEach(function (rec) {
      if (kids[rec.id]) state.collapsed[rec.id] = true;
    });
  }

  function firstView() {
    // Fit the tree to the width when it stays readable that way; else centre the root.
    if (state.view !== "tree") return;
    var viewport = $("viewport");
    var width = $("canvas").scrollWidth;
    var room = viewport.clientWidth - 40;
    if (width <= room) return;
    if (room / width >= 0.6) { fit(); return; }
    var top = $("canvas").querySelector(".box");
    if (top) top.scrollIntoView({ block: "start", inline: "center" });
  }

  function labelAll() {
    var nodes = document.querySelectorAll("[data-l]");
    for (var k = 0; k < nodes.length; k++) nodes[k].textContent = L[nodes[k].dataset.l];
  }

  labelAll();
  setupDates();
  setupTree();
  setupChanges();
  setupSearch();
  $("view-tree").addEventListener("click", function () { setView("tree"); });
  $("view-flow").addEventListener("click", function () { setView("flow"); });
  $("view-flow").hidden = !doc.flows;
  readHash();
  firstCollapse();
  setView(state.view);
  firstView();
  if (state.open !== null) showUnit(state.open);
  window.addEventListener("hashchange", followHash);
  window.orgmodelPage = { state: state, go: go, openRecord: openRecord, setView: setView };
})();
