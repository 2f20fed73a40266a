// The network view: one Cytoscape.js node per entity, one edge per
// relationship, plus a count node for each collapsed hub. Nodes are shaped
// by kind, coloured and sized by what the analyst chose (data color, size),
// and labelled with the name and, on a second line, the Japanese name; an
// edge shows its type and dates when hovered or selected. Labels follow the
// zoom: they keep a readable size on screen, and where two would overlap the
// less important one is left out.

import { THEMES } from './palette.js';

/* global cytoscape */

/**
 * Fonts for labels, on the page and on the canvas: a Latin face with
 * Vietnamese diacritics first, then Japanese faces (Noto Sans CJK JP ships
 * with most Linux desktops as fonts-noto-cjk), all installed locally.
 */
export const FONT = '"Noto Sans", "Liberation Sans", Arial, "Noto Sans CJK JP", "Hiragino Sans", '
  + '"Yu Gothic UI", Meiryo, "Noto Sans CJK SC", "DejaVu Sans", sans-serif';

/** Shape and display name of each EntityKind (colours are in palette.js). */
export const KIND_STYLE = {
  LOCALITY: { shape: 'ellipse', name: 'Locality' },
  OFFICIAL: { shape: 'round-triangle', name: 'Official' },
  ORGANIZATION: { shape: 'round-rectangle', name: 'Organisation' },
  AGREEMENT: { shape: 'diamond', name: 'Agreement' },
  EVENT: { shape: 'round-hexagon', name: 'Event' },
  COLLAPSED: { shape: 'round-rectangle', name: 'Collapsed' },
};

/** The size of a node when nothing sizes it, and the range sizes map to. */
export const BASE_SIZE = 26;
const MIN_SIZE = 18;
const MAX_SIZE = 64;

/** Label size on screen, in pixels, whatever the zoom (within bounds). */
const LABEL_PX = 13;

/** The entity's Japanese local name, or null. */
export function japaneseName(entity) {
  const n = (entity.localNames || []).find((l) => l.lang === 'ja' || l.lang.startsWith('ja-'));
  return n && n.value !== entity.name ? n.value : null;
}

/** A node's label: the name, and the Japanese name on a second line. */
export function nodeLabel(entity) {
  const ja = japaneseName(entity);
  return ja ? `${entity.name}\n${ja}` : entity.name;
}

/** "2019 – 2025-06-30", "from 2019", "until 2025-06-30" or "" for two DateValues. */
export function dateRange(from, to) {
  const a = from && from.value;
  const b = to && to.value;
  if (a && b) return a === b ? a : `${a} – ${b}`;
  if (a) return `from ${a}`;
  if (b) return `until ${b}`;
  return '';
}

/** The label of a relationship's edge: its type and, on a second line, its dates. */
export function edgeLabel(rel) {
  const dates = dateRange(rel.validFrom, rel.validTo);
  return dates ? `${rel.type}\n${dates}` : rel.type;
}

function stylesheet(t, fontSize) {
  const kinds = Object.entries(KIND_STYLE).map(([kind, s]) => ({ selector: `node[kind = "${kind}"]`, style: { shape: s.shape } }));
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        width: 'data(size)',
        height: 'data(size)',
        'background-color': 'data(color)',
        'font-family': FONT,
        'font-size': fontSize,
        color: t.ink,
        'text-wrap': 'wrap',
        'text-max-width': Math.round(fontSize * 12),
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': Math.round(fontSize * 0.3),
        'text-outline-color': t.bg,
        'text-outline-width': Math.max(2, fontSize * 0.18),
        'text-outline-opacity': 0.95,
        'border-width': 2,
        'border-color': t.bg,
        'min-zoomed-font-size': 6,
      },
    },
    ...kinds,
    { selector: 'node.nolabel', style: { 'text-opacity': 0 } },
    { selector: 'node[kind = "COLLAPSED"]', style: { 'background-color': t.other, 'border-style': 'dashed', 'border-color': t.ink, 'text-valign': 'center', color: t.bg, 'text-outline-width': 0, 'font-weight': 'bold' } },
    { selector: 'node.root', style: { 'font-weight': 'bold', 'border-width': 4, 'border-color': t.ink } },
    { selector: 'node.expanded', style: { 'border-style': 'double', 'border-width': 6, 'border-color': t.ink } },
    { selector: 'node.pinned', style: { 'border-color': t.focus, 'border-width': 3 } },
    { selector: 'node.defunct', style: { 'background-opacity': 0.35, 'border-style': 'dashed', 'border-color': t.ended, 'border-width': 3 } },
    {
      selector: 'edge',
      style: {
        label: '',
        width: 1.6,
        'curve-style': 'bezier',
        'line-color': t.edge,
        'target-arrow-shape': 'triangle',
        'target-arrow-color': t.edge,
        'arrow-scale': 0.9,
        'font-family': FONT,
        'font-size': Math.round(fontSize * 0.8),
        color: t.edgeText,
        'text-wrap': 'wrap',
        'text-rotation': 'autorotate',
        'text-background-color': t.bg,
        'text-background-opacity': 0.9,
        'text-background-padding': 1.5,
      },
    },
    { selector: 'edge.hover, edge:selected, edge.near-selected', style: { label: 'data(label)', 'z-index': 20 } },
    { selector: 'edge:selected', style: { width: 3.5, 'line-color': t.focus, 'target-arrow-color': t.focus } },
    { selector: '.time-hidden', style: { display: 'none' } },
    { selector: 'node.faded', style: { opacity: 0.45 } },
    { selector: 'edge.faded', style: { opacity: 0.3 } },
    { selector: 'node.on-path', style: { 'border-width': 5, 'border-color': t.path, 'font-weight': 'bold', 'z-index': 10 } },
    {
      selector: 'edge.on-path',
      style: {
        width: 5, 'line-color': t.path, 'target-arrow-color': t.path, 'font-weight': 'bold', 'z-index': 10,
      },
    },
    { selector: 'node.appeared', style: { 'underlay-color': t.appeared, 'underlay-opacity': 0.45, 'underlay-padding': 7, 'underlay-shape': 'ellipse' } },
    { selector: 'edge.appeared', style: { 'line-color': t.appeared, 'target-arrow-color': t.appeared, width: 3.5 } },
    { selector: 'node.ended', style: { 'background-opacity': 0.3, 'border-style': 'dashed', 'border-color': t.ended, 'border-width': 3 } },
    // A relationship whose dates neither confirm nor rule out the day: dotted.
    { selector: 'edge.time-unknown', style: { 'line-style': 'dotted', 'line-dash-pattern': [2, 3], width: 2 } },
    { selector: 'edge.ended', style: { 'line-style': 'dashed', 'line-color': t.ended, 'target-arrow-color': t.ended, width: 2.5 } },
    { selector: 'node:selected', style: { 'overlay-color': t.focus, 'overlay-opacity': 0.3, 'overlay-padding': 7 } },
    { selector: 'node.kbd-focus', style: { 'outline-width': 3, 'outline-color': t.focus, 'outline-offset': 4, 'outline-style': 'solid', 'z-index': 30 } },
    { selector: 'edge.kbd-focus', style: { 'overlay-color': t.focus, 'overlay-opacity': 0.35, 'overlay-padding': 5 } },
  ];
}

/** The network view over a container element. */
export class GraphView {
  /**
   * @param {HTMLElement} container
   * @param {object} handlers
   * @param {function(?object): void} handlers.onSelect     an element was selected (null: none)
   * @param {function(string): void} handlers.onActivate    a node was double-clicked
   * @param {function(object, {x: number, y: number}): void} handlers.onContext  right-click on an element
   * @param {function(string): void} handlers.onDragged     a node was dragged and let go
   * @param {function(): void} handlers.onViewport          the zoom or pan changed
   */
  constructor(container, handlers) {
    this.theme = 'light';
    this.fontSize = LABEL_PX;
    this.importance = () => 0;
    this.cy = cytoscape({
      container,
      style: stylesheet(THEMES.light, this.fontSize),
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    const cy = this.cy;
    cy.on('select unselect', () => {
      clearTimeout(this.selectTimer);
      // Unselect and select arrive together when the selection moves.
      this.selectTimer = setTimeout(() => {
        cy.edges('.near-selected').removeClass('near-selected');
        const sel = this.selected();
        if (sel && sel.isNode()) sel.connectedEdges().addClass('near-selected');
        handlers.onSelect(sel);
      }, 0);
    });
    cy.on('dbltap', 'node', (e) => handlers.onActivate(e.target.id()));
    cy.on('cxttap', 'node, edge', (e) => {
      e.target.select();
      handlers.onContext(e.target, e.renderedPosition);
    });
    cy.on('mouseover', 'edge', (e) => e.target.addClass('hover'));
    cy.on('mouseout', 'edge', (e) => e.target.removeClass('hover'));
    cy.on('dragfree', 'node', (e) => handlers.onDragged(e.target.id()));
    cy.on('viewport', () => {
      this.labelsLater();
      handlers.onViewport();
    });
    container.addEventListener('contextmenu', (e) => e.preventDefault());
  }

  /** Switches the colours to a theme of palette.js. */
  setTheme(name) {
    this.theme = name;
    this.restyle();
  }

  restyle() {
    this.cy.style(stylesheet(THEMES[this.theme], this.fontSize));
  }

  /** Whether the element is drawn (whatever the day). */
  has(id) {
    return this.cy.getElementById(id).nonempty();
  }

  /** The selected element, or null. */
  selected() {
    const s = this.cy.$(':selected').first();
    return s.nonempty() ? s : null;
  }

  /** The name of a drawn entity, or the id if it is not drawn. */
  name(id) {
    const n = this.cy.getElementById(id);
    return n.nonempty() && n.data('name') ? n.data('name') : id;
  }

  /**
   * Makes the drawing hold exactly these nodes and edges ({data} each):
   * adds what is missing, removes what is no longer wanted, updates the
   * data of the rest. Returns the ids of the nodes added.
   */
  sync(nodes, edges) {
    const cy = this.cy;
    const want = new Set([...nodes, ...edges].map((e) => e.data.id));
    const added = new Set();
    cy.batch(() => {
      cy.elements().filter((e) => !want.has(e.id())).remove();
      const add = [];
      for (const n of nodes) {
        const el = cy.getElementById(n.data.id);
        if (el.nonempty()) el.data(n.data);
        else {
          add.push({ group: 'nodes', data: { size: BASE_SIZE, color: THEMES[this.theme].other, ...n.data } });
          added.add(n.data.id);
        }
      }
      for (const e of edges) {
        const el = cy.getElementById(e.data.id);
        if (el.nonempty()) el.data(e.data);
        else add.push({ group: 'edges', data: e.data });
      }
      cy.add(add);
    });
    return added;
  }

  /** Sets classes: exactly `ids` carry `cls`. */
  mark(cls, ids) {
    const cy = this.cy;
    cy.batch(() => {
      cy.$(`.${cls}`).filter((e) => !ids.has(e.id())).removeClass(cls);
      for (const id of ids) cy.getElementById(id).addClass(cls);
    });
  }

  /**
   * Applies the day: elements not in `shown` are hidden, anchors that do
   * not exist that day are drawn as such, and what appeared or ended since
   * the comparison day is highlighted (an element that ended is drawn, as
   * a ghost).
   */
  applyTime({
    shown, defunct, appeared, ended, unknown = new Set(),
  }) {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().forEach((e) => {
        const id = e.id();
        const on = shown.has(id) || ended.has(id) || e.data('kind') === 'COLLAPSED';
        e.toggleClass('time-hidden', !on);
        e.toggleClass('defunct', defunct.has(id));
        e.toggleClass('appeared', appeared.has(id));
        e.toggleClass('ended', ended.has(id));
        e.toggleClass('time-unknown', unknown.has(id));
      });
      // A count node follows its hub.
      cy.nodes('[kind = "COLLAPSED"]').forEach((n) => {
        const hub = cy.getElementById(n.data('hub'));
        n.toggleClass('time-hidden', hub.hasClass('time-hidden'));
        n.connectedEdges().toggleClass('time-hidden', hub.hasClass('time-hidden'));
      });
    });
  }

  /** The nodes and edges on screen: drawn and not hidden by the day. */
  onScreen() {
    return this.cy.elements().filter((e) => !e.hasClass('time-hidden'));
  }

  /** Sets each node's colour: color(node) returns a colour. */
  colour(color) {
    this.cy.batch(() => this.cy.nodes().forEach((n) => {
      if (n.data('kind') !== 'COLLAPSED') n.data('color', color(n));
    }));
  }

  /**
   * Sizes nodes by a measure: values maps node ids to numbers; nodes
   * without one get the smallest size. Sizes grow with the square root, so
   * that area follows the measure. Without values, every node has the
   * base size.
   */
  size(values) {
    const cy = this.cy;
    const nums = values ? [...values.values()].filter((v) => v > 0) : [];
    const max = nums.length ? Math.max(...nums) : 0;
    cy.batch(() => cy.nodes().forEach((n) => {
      if (n.data('kind') === 'COLLAPSED') {
        n.data('size', Math.min(MAX_SIZE, 24 + 3 * Math.sqrt(n.data('count') || 1)));
        return;
      }
      if (!values || !max) {
        n.data('size', n.hasClass('root') ? BASE_SIZE + 12 : BASE_SIZE);
        return;
      }
      const v = values.get(n.id()) || 0;
      n.data('size', Math.round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(v / max)));
    }));
  }

  labelsLater() {
    if (this.labelTimer) return;
    this.labelTimer = setTimeout(() => {
      this.labelTimer = 0;
      this.labels();
    }, 80);
  }

  /**
   * Shows the labels that fit: at every zoom a label is LABEL_PX on screen
   * (the font grows as the view zooms out, up to a bound), and labels are
   * placed most important first (importance(node), then the larger
   * nodes); one that would overlap a label already placed, or that lies
   * off screen, is left out until the analyst zooms in.
   */
  labels() {
    const cy = this.cy;
    const z = cy.zoom();
    const fontSize = Math.round(Math.min(LABEL_PX * 4, Math.max(LABEL_PX * 0.8, LABEL_PX / z)));
    if (fontSize !== this.fontSize) {
      this.fontSize = fontSize;
      this.restyle();
    }
    const ext = cy.extent();
    const nodes = cy.nodes().filter((n) => !n.hasClass('time-hidden'))
      .sort((a, b) => this.importance(b) - this.importance(a) || b.data('size') - a.data('size') || (a.id() < b.id() ? -1 : 1));
    const placed = [];
    const show = new Set();
    const cell = 200 / z;
    const grid = new Map();
    const key = (i, j) => `${i},${j}`;
    nodes.forEach((n) => {
      const bb = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      if (!bb || bb.w === 0 || bb.x2 < ext.x1 || bb.x1 > ext.x2 || bb.y2 < ext.y1 || bb.y1 > ext.y2) return;
      const i1 = Math.floor(bb.x1 / cell);
      const i2 = Math.floor(bb.x2 / cell);
      const j1 = Math.floor(bb.y1 / cell);
      const j2 = Math.floor(bb.y2 / cell);
      for (let i = i1; i <= i2; i += 1) {
        for (let j = j1; j <= j2; j += 1) {
          for (const k of grid.get(key(i, j)) || []) {
            const o = placed[k];
            if (bb.x1 < o.x2 && o.x1 < bb.x2 && bb.y1 < o.y2 && o.y1 < bb.y2) return;
          }
        }
      }
      const k = placed.push(bb) - 1;
      for (let i = i1; i <= i2; i += 1) {
        for (let j = j1; j <= j2; j += 1) {
          if (!grid.has(key(i, j))) grid.set(key(i, j), []);
          grid.get(key(i, j)).push(k);
        }
      }
      show.add(n.id());
    });
    cy.batch(() => cy.nodes().forEach((n) => n.toggleClass('nolabel', !show.has(n.id()))));
  }

  /** Node positions by id. */
  positions() {
    const out = new Map();
    this.cy.nodes().forEach((n) => out.set(n.id(), { ...n.position() }));
    return out;
  }

  /** The pane's size in model units at zoom 1. */
  pane() {
    return { w: this.cy.width(), h: this.cy.height() };
  }

  /** Fits the view (what is on screen) to the pane. */
  fit() {
    const eles = this.onScreen();
    this.cy.fit(eles.nonempty() ? eles : undefined, 40);
    if (this.cy.zoom() > 1.6) {
      this.cy.zoom(1.6);
      this.cy.center(eles);
    }
  }

  /** The view as a PNG data URL, on the theme's background. */
  png() {
    return this.cy.png({ full: true, scale: 2, bg: THEMES[this.theme].bg });
  }
}
