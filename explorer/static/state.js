// The view's state and its form in the URL's query string, so that a copied
// link, a saved view or a step back in history opens the same picture:
//
//   ?id=locality:fukuoka&depth=2&kinds=LOCALITY,AGREEMENT&relationTypes=PARTY_TO
//    &asOf=2024-01-01&since=2023-01-01&to=locality:ha-noi&avoid=…&maxDegree=30&path=1&expand=agreement:…
//    &hide=…&collapse=…&pin=…&limit=300&layout=force&size=pagerank&color=kind
//    &sel=rel:…&view=1.2,-40,35&pos=…&live=1
//
// kinds and relationTypes are left out when every value is allowed, and the
// appearance settings when they have their defaults. pos holds the drawn
// nodes' positions, in the order of their sorted ids, as zigzag varints in
// base64url: about three bytes a node, so a view of 300 entities fits in a
// URL of a few kilobytes.

/** The EntityKind enum, in the schema's order. */
export const KINDS = ['LOCALITY', 'OFFICIAL', 'ORGANIZATION', 'AGREEMENT', 'EVENT'];

export const MIN_DEPTH = 1;
export const MAX_DEPTH = 3;

/** The neighbourhood sizes offered; the API allows up to 1000. */
export const LIMITS = [100, 300, 1000];

/** The layouts, measures and colourings offered, the first of each the default. */
export const LAYOUTS = ['force', 'concentric', 'time'];
export const SIZES = ['none', 'degree', 'betweenness', 'pagerank'];
export const COLORS = ['kind', 'type', 'country'];

const DEFAULT_LIMIT = 300;

/**
 * @typedef {object} ViewState
 * @property {string|null} id             the open entity
 * @property {number} depth               hops shown around it, 1–3
 * @property {string[]|null} kinds        entity kinds shown; null: all
 * @property {string[]|null} relationTypes relationship types followed; null: all
 * @property {string|null} asOf           YYYY-MM-DD, or null for any date
 * @property {string|null} since          with asOf: highlight what changed since this day
 * @property {string|null} to             the other end of the paths
 * @property {string[]} avoid             entities the paths may not pass through
 * @property {number|null} maxDegree      paths avoid entities with more relationships; null: any
 * @property {number} path                the ranked path highlighted, from 0
 * @property {string[]} expand            nodes whose neighbours were added
 * @property {string[]} hide              nodes hidden from the view
 * @property {string[]} collapse          hubs whose leaves are folded into a count node
 * @property {string[]} pin               nodes pinned where they were dragged
 * @property {number} limit               most entities a neighbourhood brings in
 * @property {string} layout              force, concentric or time
 * @property {string} size                none, degree, betweenness or pagerank
 * @property {string} color               kind, type or country
 * @property {string|null} sel            the selected node or edge
 * @property {string|null} view           zoom and pan: "zoom,x,y"
 * @property {string|null} pos            node positions, encoded (see encodePositions)
 * @property {boolean} live               following the live feed of changes
 */

/** Returns the empty view. */
export function emptyState() {
  return {
    id: null,
    depth: 1,
    kinds: null,
    relationTypes: null,
    asOf: null,
    since: null,
    to: null,
    avoid: [],
    maxDegree: null,
    path: 0,
    expand: [],
    hide: [],
    collapse: [],
    pin: [],
    limit: DEFAULT_LIMIT,
    layout: LAYOUTS[0],
    size: SIZES[0],
    color: COLORS[0],
    sel: null,
    view: null,
    pos: null,
    live: false,
  };
}

/** A deep copy of a state, for history and undo. */
export function cloneState(s) {
  return JSON.parse(JSON.stringify(s));
}

// list reads a comma-separated value; absent or empty means no list.
function list(value) {
  if (!value) return null;
  const items = [...new Set(value.split(',').map((x) => x.trim()).filter(Boolean))];
  return items.length ? items : null;
}

function oneOf(value, allowed) {
  return allowed.includes(value) ? value : allowed[0];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the view from a query string such as location.search. */
export function parseState(search) {
  const p = new URLSearchParams(search);
  const s = emptyState();
  s.id = p.get('id') || null;
  const depth = Number.parseInt(p.get('depth') || '', 10);
  if (Number.isInteger(depth)) s.depth = Math.min(MAX_DEPTH, Math.max(MIN_DEPTH, depth));
  s.kinds = list(p.get('kinds'));
  s.relationTypes = list(p.get('relationTypes'));
  // asOf goes to the API as it is, so that a malformed one is reported.
  s.asOf = p.get('asOf') || null;
  s.since = DAY.test(p.get('since') || '') ? p.get('since') : null;
  s.to = p.get('to') || null;
  s.avoid = list(p.get('avoid')) || [];
  const maxDegree = Number.parseInt(p.get('maxDegree') || '', 10);
  s.maxDegree = maxDegree > 0 ? maxDegree : null;
  const path = Number.parseInt(p.get('path') || '', 10);
  s.path = path > 0 ? path : 0;
  s.expand = list(p.get('expand')) || [];
  s.hide = list(p.get('hide')) || [];
  s.collapse = list(p.get('collapse')) || [];
  s.pin = list(p.get('pin')) || [];
  const limit = Number.parseInt(p.get('limit') || '', 10);
  s.limit = LIMITS.includes(limit) ? limit : DEFAULT_LIMIT;
  s.layout = oneOf(p.get('layout'), LAYOUTS);
  s.size = oneOf(p.get('size'), SIZES);
  s.color = oneOf(p.get('color'), COLORS);
  s.sel = p.get('sel') || null;
  s.view = /^[\d.]+,-?[\d.]+,-?[\d.]+$/.test(p.get('view') || '') ? p.get('view') : null;
  s.pos = /^[A-Za-z0-9_-]+$/.test(p.get('pos') || '') ? p.get('pos') : null;
  s.live = p.get('live') === '1';
  return s;
}

// encode escapes a query-string value but keeps ':' and ',' readable: both are
// allowed in a query and appear in every id and list.
function encode(value) {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** Builds a query string (with its '?', or '' when empty) from [key, value] pairs, skipping empty values. */
export function query(pairs) {
  const parts = pairs
    .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encode(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const orNull = (v, dflt) => (v === dflt ? null : v);

/** Writes the view as a query string; with layout false, without positions, zoom and selection. */
export function formatState(s, { layout = true } = {}) {
  if (!s.id) return s.live ? query([['live', 1]]) : '';
  return query([
    ['id', s.id],
    ['depth', s.depth],
    ['kinds', s.kinds],
    ['relationTypes', s.relationTypes],
    ['asOf', s.asOf],
    ['since', s.asOf ? s.since : null],
    ['to', s.to],
    ['avoid', s.avoid],
    ['maxDegree', s.maxDegree],
    ['path', s.to ? orNull(s.path, 0) : null],
    ['expand', s.expand],
    ['hide', s.hide],
    ['collapse', s.collapse],
    ['pin', s.pin],
    ['limit', orNull(s.limit, DEFAULT_LIMIT)],
    ['layout', orNull(s.layout, LAYOUTS[0])],
    ['size', orNull(s.size, SIZES[0])],
    ['color', orNull(s.color, COLORS[0])],
    ['sel', layout ? s.sel : null],
    ['view', layout ? s.view : null],
    ['pos', layout ? s.pos : null],
    ['live', s.live ? 1 : null],
  ]);
}

/** The export endpoint's URL for the open entity's neighbourhood in the given format. */
export function exportURL(s, format) {
  return '/export' + query([
    ['format', format],
    ['scope', 'neighborhood'],
    ['id', s.id],
    ['depth', s.depth],
    ['kinds', s.kinds],
    ['relationTypes', s.relationTypes],
    ['asOf', s.asOf],
  ]);
}

/**
 * Encodes positions ([[x, y], …], in the order of the nodes' sorted ids) as
 * base64url zigzag varints of whole pixels.
 */
export function encodePositions(points) {
  const bytes = [];
  const put = (v) => {
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    while (z >= 0x80) {
      bytes.push((z % 0x80) | 0x80);
      z = Math.floor(z / 0x80);
    }
    bytes.push(z);
  };
  for (const [x, y] of points) {
    put(Math.round(x));
    put(Math.round(y));
  }
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes encodePositions; null if the text is not such a list. */
export function decodePositions(text) {
  let bin;
  try {
    bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const values = [];
  let z = 0;
  let scale = 1;
  for (let i = 0; i < bin.length; i += 1) {
    const b = bin.charCodeAt(i);
    z += (b & 0x7f) * scale;
    if (b & 0x80) {
      scale *= 0x80;
      continue;
    }
    values.push(z % 2 ? -(z + 1) / 2 : z / 2);
    z = 0;
    scale = 1;
  }
  if (values.length % 2) return null;
  const points = [];
  for (let i = 0; i < values.length; i += 2) points.push([values[i], values[i + 1]]);
  return points;
}
