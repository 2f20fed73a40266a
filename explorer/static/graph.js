// The network view: one Cytoscape.js node per entity, one edge per
// relationship. Nodes are coloured and shaped by kind and labelled with the
// name and, on a second line, the Japanese name; edges are labelled with the
// relationship type. Subgraphs from neighborhood and paths are merged in, so
// that expanding a node or showing a path adds to what is already drawn.

/* global cytoscape */

/**
 * Fonts for labels, on the page and on the canvas: a Latin face with
 * Vietnamese diacritics first, then Japanese faces (Noto Sans CJK JP ships
 * with most Linux desktops as fonts-noto-cjk), all installed locally.
 */
export const FONT = '"Noto Sans", "Liberation Sans", Arial, "Noto Sans CJK JP", "Hiragino Sans", '
  + '"Yu Gothic UI", Meiryo, "Noto Sans CJK SC", "DejaVu Sans", sans-serif';

/** Colour, shape and display name of each EntityKind. */
export const KIND_STYLE = {
  LOCALITY: { color: '#2f6fb0', shape: 'ellipse', name: 'Locality' },
  OFFICIAL: { color: '#8a4fbf', shape: 'round-triangle', name: 'Official' },
  ORGANIZATION: { color: '#2e8b57', shape: 'round-rectangle', name: 'Organisation' },
  AGREEMENT: { color: '#d9730d', shape: 'diamond', name: 'Agreement' },
  EVENT: { color: '#c23b3b', shape: 'round-hexagon', name: 'Event' },
};

const PATH_COLOUR = '#f2b705';

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

function edgeLabel(rel) {
  const dates = dateRange(rel.validFrom, rel.validTo);
  return dates ? `${rel.type}\n${dates}` : rel.type;
}

function stylesheet() {
  const kinds = Object.entries(KIND_STYLE).map(([kind, s]) => ({
    selector: `node[kind = "${kind}"]`,
    style: { 'background-color': s.color, shape: s.shape },
  }));
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        width: 26,
        height: 26,
        'font-family': FONT,
        'font-size': 14,
        color: '#17202a',
        'text-wrap': 'wrap',
        'text-max-width': 170,
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 5,
        'text-outline-color': '#ffffff',
        'text-outline-width': 2.5,
        'text-outline-opacity': 0.95,
        'border-width': 2,
        'border-color': '#ffffff',
        'min-zoomed-font-size': 7,
      },
    },
    ...kinds,
    { selector: 'node.root', style: { width: 40, height: 40, 'font-size': 16, 'font-weight': 'bold', 'border-width': 4, 'border-color': '#17202a' } },
    { selector: 'node.expanded', style: { 'border-style': 'double', 'border-width': 5, 'border-color': '#17202a' } },
    { selector: 'node:selected', style: { 'overlay-color': '#3b82f6', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
    {
      selector: 'edge',
      style: {
        label: 'data(label)',
        width: 1.6,
        'curve-style': 'bezier',
        'line-color': '#98a2ad',
        'target-arrow-shape': 'triangle',
        'target-arrow-color': '#98a2ad',
        'arrow-scale': 0.9,
        'font-family': FONT,
        'font-size': 10,
        color: '#4a5561',
        'text-wrap': 'wrap',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 1.5,
        'min-zoomed-font-size': 7,
      },
    },
    { selector: 'node.faded', style: { opacity: 0.55 } },
    { selector: 'edge.faded', style: { opacity: 0.35 } },
    { selector: 'node.on-path', style: { 'border-width': 5, 'border-color': PATH_COLOUR, 'font-weight': 'bold', 'z-index': 10 } },
    {
      selector: 'edge.on-path',
      style: {
        width: 5, 'line-color': PATH_COLOUR, 'target-arrow-color': PATH_COLOUR, color: '#17202a', 'font-weight': 'bold', 'z-index': 10,
      },
    },
  ];
}

/** The network view over a container element. */
export class GraphView {
  /**
   * @param {HTMLElement} container
   * @param {{onSelect: function(?object): void, onExpand: function(string): void}} handlers
   */
  constructor(container, { onSelect, onExpand }) {
    this.cy = cytoscape({
      container,
      style: stylesheet(),
      minZoom: 0.15,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('select unselect', 'node', () => onSelect(this.selected()));
    this.cy.on('dbltap', 'node', (e) => onExpand(e.target.id()));
  }

  /** Removes everything. */
  clear() {
    this.cy.elements().remove();
  }

  /** Whether the entity is drawn. */
  has(id) {
    return this.cy.getElementById(id).nonempty();
  }

  /** The selected node's entity ({id, name, kind}), or null. */
  selected() {
    const n = this.cy.nodes(':selected').first();
    return n.nonempty() ? { id: n.id(), name: n.data('name'), kind: n.data('kind') } : null;
  }

  /** The name of a drawn entity, or the id if it is not drawn. */
  name(id) {
    const n = this.cy.getElementById(id);
    return n.nonempty() ? n.data('name') : id;
  }

  /**
   * Adds a subgraph's entities and relationships that are not drawn yet and
   * returns how many entities it added. New entities start at `origin`'s
   * position, so that a re-layout grows them out of the node they came from.
   */
  merge({ nodes = [], relationships = [] }, origin = null) {
    const cy = this.cy;
    const at = origin && cy.getElementById(origin).nonempty() ? cy.getElementById(origin).position() : null;
    const add = [];
    for (const e of nodes) {
      if (cy.getElementById(e.id).nonempty()) continue;
      add.push({ group: 'nodes', data: { id: e.id, name: e.name, kind: e.kind, label: nodeLabel(e) } });
    }
    const added = add.length;
    if (at) {
      // On a small circle around the origin: the same input, the same picture.
      add.forEach((el, i) => {
        const angle = (2 * Math.PI * i) / added;
        el.position = { x: at.x + 40 * Math.cos(angle), y: at.y + 40 * Math.sin(angle) };
      });
    }
    const known = (id) => cy.getElementById(id).nonempty() || add.some((n) => n.data.id === id);
    for (const r of relationships) {
      if (cy.getElementById(r.id).nonempty() || add.some((x) => x.data.id === r.id)) continue;
      if (!known(r.from.id) || !known(r.to.id)) continue;
      add.push({
        group: 'edges',
        data: { id: r.id, source: r.from.id, target: r.to.id, type: r.type, label: edgeLabel(r) },
      });
    }
    cy.add(add);
    return added;
  }

  /** Marks the open entity. */
  setRoot(id) {
    this.cy.nodes('.root').removeClass('root');
    this.cy.getElementById(id).addClass('root');
  }

  /** Marks a node whose neighbours were added. */
  markExpanded(id) {
    this.cy.getElementById(id).addClass('expanded');
  }

  /** Highlights the paths' entities and relationships and fades the rest. */
  highlight(paths) {
    const cy = this.cy;
    cy.elements().removeClass('on-path faded');
    if (!paths || paths.length === 0) return;
    let on = cy.collection();
    for (const p of paths) {
      for (const n of p.nodes) on = on.union(cy.getElementById(n.id));
      for (const r of p.relationships) on = on.union(cy.getElementById(r.id));
    }
    if (on.empty()) return;
    on.addClass('on-path');
    cy.elements().difference(on).addClass('faded');
  }

  /**
   * Lays the network out: from scratch, or (fresh false) starting from the
   * current positions so that what was drawn stays roughly where it was.
   */
  layout(fresh = true) {
    const cy = this.cy;
    if (cy.nodes().length === 0) return;
    if (fresh) {
      // Start from rings around the open entity, by hops from it, so that
      // the force-directed pass is deterministic and keeps the entity central.
      const root = cy.nodes('.root');
      const hops = new Map();
      if (root.nonempty()) {
        cy.elements().bfs({
          roots: root,
          visit: (v, e, u, i, depth) => { hops.set(v.id(), depth); },
        });
      }
      const far = Math.max(0, ...hops.values()) + 1;
      cy.layout({
        name: 'concentric',
        animate: false,
        fit: false,
        concentric: (node) => far - (hops.has(node.id()) ? hops.get(node.id()) : far),
        levelWidth: () => 1,
        minNodeSpacing: 60,
        sort: (a, b) => (a.id() < b.id() ? -1 : 1),
      }).run();
    }
    cy.layout({
      name: 'cose',
      animate: false,
      randomize: false,
      fit: true,
      padding: 30,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 60,
      nodeRepulsion: () => 16000,
      edgeElasticity: () => 100,
      gravity: 1,
      componentSpacing: 60,
      numIter: 1500,
    }).run();
    this.limitZoom();
  }

  // limitZoom keeps a small network from being blown up past a readable size.
  limitZoom() {
    const max = 1.6;
    if (this.cy.zoom() > max) {
      this.cy.zoom(max);
      this.cy.center();
    }
  }

  /** Fits the network to the view. */
  fit() {
    this.cy.fit(undefined, 40);
    this.limitZoom();
  }

  /** The view as a PNG data URL. */
  png() {
    return this.cy.png({ full: true, scale: 2, bg: '#ffffff' });
  }
}
