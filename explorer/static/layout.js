// Layouts of the network, stable by design: a fresh layout is a function of
// what is drawn (the same view draws the same picture), an incremental one
// moves only what is new (new entities start beside the neighbours that
// brought them in, everything else keeps its place), a node dragged by hand
// stays pinned where it was put, and the picture is stretched to the pane's
// shape. Three layouts: force-directed (fCoSE, a maintained Cytoscape.js
// extension, vendored), concentric rings by hops from the open entity, and
// time on the horizontal axis.

/* global cytoscape, cytoscapeFcose */

let registered = false;

/** Views of more nodes than this are laid out from a spectral start. */
const SPECTRAL_FROM = 150;

/** Registers fCoSE with Cytoscape.js, once. */
export function register() {
  if (!registered && typeof cytoscapeFcose === 'function') {
    cytoscape.use(cytoscapeFcose);
    registered = true;
  }
}

// hash is a 32-bit FNV-1a hash of a string, to seed the layouts.
function hash(text) {
  let x = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    x ^= text.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  return x >>> 0;
}

// seeded runs fn with Math.random replaced by a generator seeded by seed
// (mulberry32): fCoSE draws random numbers, and the same view must give the
// same picture.
function seeded(seed, fn) {
  const saved = Math.random;
  let a = seed >>> 0;
  Math.random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  try {
    return fn();
  } finally {
    Math.random = saved;
  }
}

/** Hops from the root to every node reached, over every edge drawn. */
export function hopsFrom(cy, rootId) {
  const hops = new Map();
  const root = cy.getElementById(rootId);
  if (root.empty()) return hops;
  cy.elements().bfs({
    roots: root,
    visit: (v, e, u, i, depth) => { hops.set(v.id(), depth); },
  });
  return hops;
}

/**
 * Places nodes that have no position yet beside their placed neighbours (on
 * a small circle around their mean, at an angle taken from the id, so the
 * same view places them alike), or around the root when none is placed.
 */
export function placeNew(cy, fresh, rootId) {
  const placed = (n) => !fresh.has(n.id());
  const root = cy.getElementById(rootId);
  const centre = root.nonempty() && placed(root) ? root.position() : { x: 0, y: 0 };
  let pending = cy.nodes().filter((n) => fresh.has(n.id()));
  // Nodes two hops from anything placed are placed once their neighbour is.
  for (let round = 0; round < 6 && pending.nonempty(); round += 1) {
    const next = [];
    pending.forEach((n) => {
      const nbrs = n.neighborhood('node').filter(placed);
      if (nbrs.empty() && round < 5) {
        next.push(n);
        return;
      }
      let x = centre.x;
      let y = centre.y;
      if (nbrs.nonempty()) {
        x = 0;
        y = 0;
        nbrs.forEach((m) => {
          x += m.position('x');
          y += m.position('y');
        });
        x /= nbrs.length;
        y /= nbrs.length;
      }
      const angle = ((hash(n.id()) % 3600) / 3600) * 2 * Math.PI;
      const r = 60 + (hash(`${n.id()}r`) % 40);
      n.position({ x: x + r * Math.cos(angle), y: y + r * Math.sin(angle) });
      fresh.delete(n.id());
    });
    pending = cy.collection(next);
  }
}

function fcose(eles, fixed, seed, { incremental, spectral = false }) {
  const options = {
    name: 'fcose',
    quality: 'default',
    randomize: spectral,
    animate: false,
    fit: false,
    nodeDimensionsIncludeLabels: false,
    uniformNodeDimensions: false,
    packComponents: true,
    nodeRepulsion: () => 9000,
    idealEdgeLength: () => 90,
    edgeElasticity: () => 0.45,
    nestingFactor: 0.1,
    gravity: incremental ? 0.05 : 0.25,
    numIter: incremental ? 1200 : 2500,
    tile: true,
  };
  if (fixed.length) options.fixedNodeConstraint = fixed;
  seeded(seed, () => eles.layout(options).run());
}

// concentric starts a force layout from rings around the root, by hops,
// sorted by id: deterministic, and the root stays central.
function rings(cy, rootId, spacing = 60) {
  const hops = hopsFrom(cy, rootId);
  const far = Math.max(0, ...hops.values()) + 1;
  cy.layout({
    name: 'concentric',
    animate: false,
    fit: false,
    concentric: (node) => far - (hops.has(node.id()) ? hops.get(node.id()) : far),
    levelWidth: () => 1,
    minNodeSpacing: spacing,
    sort: (a, b) => (a.id() < b.id() ? -1 : 1),
  }).run();
}

// stretch scales the picture about the root so that its bounding box takes
// the pane's shape (up to 2.5 times in one direction): a wide pane gets a
// wide picture, not a tall column. Pinned nodes stay where they are.
function stretch(cy, rootId, pane, keep) {
  const bb = cy.nodes().boundingBox({ includeLabels: false });
  if (!pane.w || !pane.h || bb.w < 1 || bb.h < 1) return;
  const want = pane.w / pane.h;
  const have = bb.w / bb.h;
  let sx = 1;
  let sy = 1;
  if (have < want) sx = Math.min(want / have, 2.5);
  else sy = Math.min(have / want, 2.5);
  const root = cy.getElementById(rootId);
  const o = root.nonempty() ? root.position() : { x: bb.x1 + bb.w / 2, y: bb.y1 + bb.h / 2 };
  const ox = o.x;
  const oy = o.y;
  cy.nodes().forEach((n) => {
    if (keep.has(n.id())) return;
    const p = n.position();
    n.position({ x: ox + (p.x - ox) * sx, y: oy + (p.y - oy) * sy });
  });
}

const KIND_LANES = ['LOCALITY', 'ORGANIZATION', 'OFFICIAL', 'AGREEMENT', 'EVENT', 'COLLAPSED'];

// timeAxis puts each node at its first date along x (an undated node at the
// mean of its relationships' dates, else in a column on the left) and in a
// lane by kind along y, spread within the lane where nodes would overlap.
function timeAxis(cy, pane) {
  const dayOf = (d) => (d ? Date.parse(`${d}T00:00:00Z`) : null);
  const when = new Map();
  cy.nodes().forEach((n) => {
    let t = dayOf(n.data('from'));
    if (t === null) {
      const ts = n.connectedEdges().map((e) => dayOf(e.data('from'))).filter((x) => x !== null);
      if (ts.length) t = ts.reduce((a, b) => a + b, 0) / ts.length;
    }
    when.set(n.id(), t);
  });
  const known = [...when.values()].filter((t) => t !== null);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const width = Math.max(800, (pane.w || 1000) * 1.2);
  const span = hi > lo ? hi - lo : 1;
  const lane = 120;
  const byLane = new Map();
  cy.nodes().forEach((n) => {
    const t = when.get(n.id());
    const x = t === null || !known.length ? -160 : ((t - lo) / span) * width;
    const k = Math.max(0, KIND_LANES.indexOf(n.data('kind')));
    if (!byLane.has(k)) byLane.set(k, []);
    byLane.get(k).push({ n, x });
  });
  for (const [k, items] of byLane) {
    items.sort((a, b) => a.x - b.x || (a.n.id() < b.n.id() ? -1 : 1));
    const lastX = [];
    for (const it of items) {
      let row = 0;
      while (row < lastX.length && it.x - lastX[row] < 60) row += 1;
      lastX[row] = it.x;
      const offset = (row % 2 ? -1 : 1) * Math.ceil(row / 2) * 22;
      it.n.position({ x: it.x, y: k * lane + offset });
    }
  }
}

/**
 * Lays the view out.
 *
 * @param {object} cy
 * @param {object} o
 * @param {string} o.name        force, concentric or time
 * @param {boolean} o.fresh      from scratch (else only nodes in o.added move)
 * @param {Set<string>} o.added  nodes without a position yet
 * @param {Set<string>} o.pinned nodes that keep their positions even in a fresh layout
 * @param {string} o.root
 * @param {{w: number, h: number}} o.pane
 */
export function layout(cy, { name, fresh, added, pinned, root, pane }) {
  if (cy.nodes().empty()) return;
  const seed = hash(cy.nodes().map((n) => n.id()).sort().join(' '));
  const keep = new Map();
  const fixedIds = fresh ? new Set(pinned) : new Set(cy.nodes().map((n) => n.id()).filter((id) => !added.has(id)));
  cy.nodes().forEach((n) => {
    if (fixedIds.has(n.id())) keep.set(n.id(), { ...n.position() });
  });
  if (name === 'time') {
    timeAxis(cy, pane);
  } else if (name === 'concentric') {
    if (fresh || added.size) rings(cy, root, 40);
    stretch(cy, root, pane, new Set());
  } else if (fresh) {
    // Small views start from rings around the root, which stays central;
    // large ones from fCoSE's spectral layout (seeded, so still the same
    // picture), as rings of hundreds of nodes start far too wide to
    // contract.
    const spectral = cy.nodes().length > SPECTRAL_FROM;
    if (!spectral) rings(cy, root);
    restore(cy, keep);
    fcose(cy.elements(), fixedList(keep), seed, { incremental: false, spectral });
    stretch(cy, root, pane, new Set(pinned));
  } else if (added.size) {
    placeNew(cy, new Set(added), root);
    fcose(cy.elements(), fixedList(keep), seed, { incremental: true });
  }
  if (name !== 'force') {
    restore(cy, new Map([...keep].filter(([id]) => pinned.has(id))));
    return;
  }
  // fCoSE may shift the whole picture; put the fixed nodes back exactly and
  // move the others by the same amount, so nothing that was placed moves.
  let dx = 0;
  let dy = 0;
  for (const [id, p] of keep) {
    const q = cy.getElementById(id).position();
    dx += p.x - q.x;
    dy += p.y - q.y;
  }
  if (keep.size) {
    dx /= keep.size;
    dy /= keep.size;
    cy.nodes().forEach((n) => {
      if (keep.has(n.id())) return;
      n.position({ x: n.position('x') + dx, y: n.position('y') + dy });
    });
    restore(cy, keep);
  }
}

function fixedList(keep) {
  return [...keep].map(([nodeId, position]) => ({ nodeId, position: { ...position } }));
}

function restore(cy, keep) {
  for (const [id, p] of keep) cy.getElementById(id).position({ ...p });
}
