// The history of a record in the details card: each change to it, newest
// first — when, who, in which revision and with what message, and what it
// changed (for an update, each changed field before → after). Pages come
// from the API's `revisions` connection, a "More" button asking for the
// next one with the cursor. The explorer holds no API key, so undoing a
// revision is offered as the `revert` mutation to copy, not as a button
// that would run it.

import { gql } from './api.js';
import { h, fill } from './dom.js';

/** What the page asks of a change, in a history section and in the live feed. */
export const CHANGE_FIELDS = `position recordType recordId kind operation changedFields before after
  revision { seq time actor message reverts changeCount }`;

/** A page of a record's changes, newest first. */
export const REVISIONS = `query Revisions($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    id
    ... on Entity { revisions(first: $first, after: $after) { ...ChangePage } }
    ... on Relationship { revisions(first: $first, after: $after) { ...ChangePage } }
  }
}
fragment ChangePage on ChangeConnection {
  nodes { ${CHANGE_FIELDS} }
  pageInfo { hasNextPage endCursor }
}`;

/** Changes shown per page in a card. */
export const PAGE = 5;

/** A value longer than this is cut, with a button to show it whole. */
const SHORT = 80;

const timeFormat = typeof Intl.DateTimeFormat === 'function'
  ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : null;

/** A readable local time for an RFC 3339 time, in a <time> element. */
export function when(iso) {
  const d = new Date(iso);
  const text = Number.isNaN(d.getTime()) ? iso : (timeFormat ? timeFormat.format(d) : d.toLocaleString());
  return h('time', { datetime: iso, title: iso }, text);
}

/** A value of a record's JSON as text: strings as they are, lists joined, the rest as JSON. */
export function valueText(v) {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(' · ');
  if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'lang' in x && 'value' in x)) {
    return v.map((x) => `${x.value} (${x.lang})`).join(' · ');
  }
  return JSON.stringify(v);
}

/**
 * A value, cut after SHORT characters with a button that shows it whole
 * (and cuts it again); an absent value reads "none".
 */
export function valueEl(v, cls) {
  const text = valueText(v);
  if (!text) return h('span', { class: `${cls} none` }, 'none');
  const chars = Array.from(text);
  if (chars.length <= SHORT) return h('span', { class: cls }, text);
  const short = `${chars.slice(0, SHORT).join('')}…`;
  const body = h('span', { class: 'value-text' }, short);
  const toggle = h('button', {
    type: 'button', class: 'link value-more', 'aria-expanded': 'false', title: `${chars.length} characters`,
  }, 'show all');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    body.textContent = open ? text : short;
    toggle.textContent = open ? 'show less' : 'show all';
    toggle.setAttribute('aria-expanded', String(open));
  });
  return h('span', { class: cls }, body, ' ', toggle);
}

/**
 * A record's label in a change: its name, or a relationship's ends and
 * type, each end named by name(id) when given (the network knows the
 * names of the entities it draws).
 */
export function recordLabel(c, name = (id) => id) {
  const r = c.after || c.before || {};
  if (c.recordType === 'RELATIONSHIP') return `${name(r.from || '?')} —${r.type || c.kind || ''}→ ${name(r.to || '?')}`;
  return r.name || r.title || c.recordId;
}

/** The revision line: its number, its message, and what it reverts. */
export function revisionLine(rev) {
  return h('span', { class: 'change-rev' },
    h('span', { class: 'rev-seq' }, `revision ${rev.seq}`),
    rev.reverts ? [' · ', h('span', { class: 'rev-reverts' }, `reverts revision ${rev.reverts}`)] : null,
    rev.message ? [' · ', h('q', { class: 'rev-message' }, rev.message)] : null);
}

const OP_TEXT = { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted' };

/** What a change did: the fields an update changed, before → after, or a summary of a creation or deletion. */
function changeBody(c) {
  if (c.operation === 'UPDATE') {
    const before = c.before || {};
    const after = c.after || {};
    return h('dl', { class: 'change-fields' }, c.changedFields.map((f) => [
      h('dt', {}, f),
      h('dd', { 'data-field': f },
        valueEl(before[f], 'before'),
        h('span', { class: 'arrow', 'aria-label': 'became' }, ' → '),
        valueEl(after[f], 'after')),
    ]));
  }
  const r = c.operation === 'CREATE' ? c.after : c.before;
  const name = r ? (r.name || r.title) : null;
  const fields = c.changedFields.filter((f) => f !== 'id');
  return h('p', { class: 'change-summary' },
    c.operation === 'CREATE' ? 'Created' : 'Deleted',
    name ? [' ', h('q', {}, name)] : null,
    fields.length ? ` with ${fields.length} field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}` : null,
    '.');
}

/** The revert mutation for a revision, to copy into GraphiQL with an API key. */
export function revertText(seq) {
  return `mutation { revert(revision: ${seq}, message: "why") { seq changeCount } }`;
}

/** An "Undo…" disclosure with the revert mutation to copy. */
function undoBox(rev) {
  const code = h('code', {}, revertText(rev.seq));
  const copy = h('button', { type: 'button', class: 'link' }, 'copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      copy.textContent = 'copied';
    } catch {
      // No clipboard (an insecure origin, a refusal): select the text instead.
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      copy.textContent = 'selected: press Ctrl+C';
    }
  });
  return h('details', { class: 'undo' },
    h('summary', {}, `Undo revision ${rev.seq}…`),
    h('p', { class: 'hint' }, 'Undoing needs an API key, which this page does not hold. Run this mutation in ',
      h('a', { href: '/', target: '_blank', rel: 'noopener' }, 'GraphiQL'),
      ' with the header Authorization: Bearer <key>; it is refused if a later revision changed the same records.'),
    h('pre', {}, code), copy);
}

/** One change as an item of a history list. */
export function changeItem(c) {
  const rev = c.revision;
  return h('li', {
    class: `change op-${c.operation}`, 'data-position': c.position, 'data-seq': rev.seq, 'data-operation': c.operation,
  },
  h('div', { class: 'change-head' },
    h('span', { class: 'op' }, OP_TEXT[c.operation] || c.operation.toLowerCase()), ' ',
    when(rev.time), ' by ', h('strong', { class: 'actor' }, rev.actor)),
  revisionLine(rev),
  changeBody(c),
  undoBox(rev));
}

/** A record's history, as a section of the details card. */
export class HistorySection {
  /**
   * @param {object} o
   * @param {function(string, object): void} o.error  reports a failure
   */
  constructor({ error }) {
    this.error = error;
    this.pages = new Map(); // record id → {nodes, hasNextPage, endCursor}
  }

  /** Forgets what was loaded of a record (it changed), or of all. */
  forget(id) {
    if (id) this.pages.delete(id);
    else this.pages.clear();
  }

  async page(id, after) {
    const { node } = await gql(REVISIONS, { id, first: PAGE, after });
    if (!node || !node.revisions) throw Object.assign(new Error(`there is no record with id ${id}`), { code: 'NOT_FOUND' });
    return node.revisions;
  }

  /** The section for a record: it fills itself with the first page, from memory when it can. */
  section(id) {
    const list = h('ol', { class: 'changes', 'aria-label': 'Changes, newest first' });
    const more = h('button', { type: 'button', class: 'history-more', hidden: true }, 'More');
    const note = h('p', { class: 'hint' }, 'Loading…');
    const el = h('section', { class: 'history', 'data-record': id },
      h('h3', {}, 'History ', h('small', {}, 'newest first')), note, list, more);
    const render = () => {
      const p = this.pages.get(id);
      fill(list, p.nodes.map(changeItem));
      note.textContent = p.nodes.length ? '' : 'No change recorded.';
      more.hidden = !p.hasNextPage;
      el.dataset.loaded = String(p.nodes.length);
    };
    const load = async (after) => {
      more.disabled = true;
      try {
        const page = await this.page(id, after);
        const known = this.pages.get(id);
        const nodes = after && known ? [...known.nodes, ...page.nodes] : page.nodes;
        this.pages.set(id, { nodes, hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor });
        const first = list.children.length;
        render();
        // After More, focus goes to the first change added, so a keyboard
        // user reads on from there.
        if (after && list.children[first]) {
          list.children[first].tabIndex = -1;
          list.children[first].focus();
        }
      } catch (err) {
        note.textContent = 'Could not load the history.';
        this.error('loading the history', err);
      } finally {
        more.disabled = false;
      }
    };
    // A live change may have made the section forget the record meanwhile:
    // then More loads the first page again.
    more.addEventListener('click', () => load(this.pages.has(id) ? this.pages.get(id).endCursor : null));
    if (this.pages.has(id)) render();
    else load(null);
    return el;
  }
}
