// The view's state and its form in the URL's query string, so that a copied
// link opens the same view:
//
//   ?id=locality:fukuoka&depth=2&kinds=LOCALITY,AGREEMENT&relationTypes=PARTY_TO
//    &asOf=2024-01-01&to=locality:ha-noi&expand=agreement:fukuoka-ha-noi-mous
//
// kinds and relationTypes are left out when every value is allowed.

/** The EntityKind enum, in the schema's order. */
export const KINDS = ['LOCALITY', 'OFFICIAL', 'ORGANIZATION', 'AGREEMENT', 'EVENT'];

export const MIN_DEPTH = 1;
export const MAX_DEPTH = 3;

/**
 * @typedef {object} ViewState
 * @property {string|null} id             the open entity
 * @property {number} depth               hops shown around it, 1–3
 * @property {string[]|null} kinds        entity kinds shown; null: all
 * @property {string[]|null} relationTypes relationship types followed; null: all
 * @property {string|null} asOf           YYYY-MM-DD, or null for any date
 * @property {string|null} to             the other end of the shortest path
 * @property {string[]} expand            nodes whose neighbours were added
 */

/** Returns the empty view. */
export function emptyState() {
  return { id: null, depth: 1, kinds: null, relationTypes: null, asOf: null, to: null, expand: [] };
}

// list reads a comma-separated value; absent or empty means no list.
function list(value) {
  if (!value) return null;
  const items = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  return items.length ? items : null;
}

/** Reads the view from a query string such as location.search. */
export function parseState(search) {
  const p = new URLSearchParams(search);
  const s = emptyState();
  s.id = p.get('id') || null;
  const depth = Number.parseInt(p.get('depth') || '', 10);
  if (Number.isInteger(depth)) s.depth = Math.min(MAX_DEPTH, Math.max(MIN_DEPTH, depth));
  s.kinds = list(p.get('kinds'));
  s.relationTypes = list(p.get('relationTypes'));
  s.asOf = p.get('asOf') || null;
  s.to = p.get('to') || null;
  s.expand = list(p.get('expand')) || [];
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

/** Writes the view as a query string. */
export function formatState(s) {
  if (!s.id) return '';
  return query([
    ['id', s.id],
    ['depth', s.depth],
    ['kinds', s.kinds],
    ['relationTypes', s.relationTypes],
    ['asOf', s.asOf],
    ['to', s.to],
    ['expand', s.expand.length ? s.expand : null],
  ]);
}

/** The export endpoint's URL for the view in the given format. */
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
