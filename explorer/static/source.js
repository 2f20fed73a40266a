// The source view: a source read as a source. An article whose text the
// graph holds is shown whole, every passage a citation quotes highlighted
// and linked to the entity or relationship it supports; a source without
// text lists its citations. From an entity, the view opens on the first
// passage about it (its own citations, and its relationships'), and steps
// through them with Previous and Next.

import { gql } from './api.js';
import { h, fill } from './dom.js';

const SOURCES = `query SourceList {
  sources(first: 100) { nodes { id title publisher sourceType published { value } } }
}`;

const SOURCE = `query Source($id: ID!) {
  source(id: $id) { id title publisher url language sourceType published { value } text }
}`;

const CITATIONS = `query SourceCitations($id: ID!, $after: String) {
  source(id: $id) {
    citations(first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        entity { id name kind }
        relationship { id type from { id name } to { id name } }
        quotes { text start end }
      }
    }
  }
}`;

const MENTIONS = `query Mentions($id: ID!) {
  entity(id: $id) { id name provenance { source { id sourceType } } }
}`;

/** The record a citation edge is of: {id, label, ends}. */
function recordOf(edge) {
  if (edge.entity) return { id: edge.entity.id, label: edge.entity.name, ends: [edge.entity.id], group: 'node' };
  const r = edge.relationship;
  return {
    id: r.id, label: `${r.from.name} — ${r.type} → ${r.to.name}`, ends: [r.from.id, r.to.id], group: 'edge',
  };
}

/** The source view, in its own sheet beside the network. */
export class SourceView {
  /**
   * @param {HTMLElement} el
   * @param {object} o
   * @param {function(string, string): Promise} o.act  runs an app action (select, open) on an id
   * @param {function(string): boolean} o.drawn  whether an element is in the network
   * @param {function(string, object): void} o.error  reports a failure
   */
  constructor(el, { act, drawn, error }) {
    this.el = el;
    this.act = act;
    this.drawn = drawn;
    this.error = error;
    this.cache = new Map();
    this.seq = 0;
    this.about = null; // {id, name, passages: [index], at}
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
    const all = document.getElementById('sources-open');
    if (all) all.addEventListener('click', () => this.list());
    // A citation anywhere (the details card, the entity panel) may offer
    // to read its source: a button with data-source-open.
    document.addEventListener('click', (e) => {
      const b = e.target.closest && e.target.closest('[data-source-open]');
      if (b) this.open(b.dataset.sourceOpen, { quote: b.dataset.quote || '' });
    });
  }

  fetch(query, vars) {
    const key = JSON.stringify([query.slice(0, 30), vars]);
    if (!this.cache.has(key)) {
      const p = gql(query, vars);
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return this.cache.get(key);
  }

  /** The source and every citation of it, page by page. */
  async load(id) {
    const { source } = await this.fetch(SOURCE, { id });
    if (!source) throw Object.assign(new Error(`there is no source with id ${id}`), { code: 'NOT_FOUND' });
    const edges = [];
    let after = null;
    for (;;) {
      const page = await this.fetch(CITATIONS, { id, after });
      const c = page.source.citations;
      edges.push(...c.edges);
      if (!c.pageInfo.hasNextPage || c.edges.length === 0) break;
      after = c.pageInfo.endCursor;
    }
    // Every quote is one passage, in the order of the text (start, then end).
    const passages = [];
    for (const edge of edges) {
      const rec = recordOf(edge);
      for (const q of edge.quotes) passages.push({ ...q, rec });
    }
    if (source.text) passages.sort((a, b) => (a.start - b.start) || (a.end - b.end));
    passages.forEach((p, i) => { p.index = i; });
    return { source, passages, records: edges.length };
  }

  close() {
    this.seq += 1;
    this.about = null;
    this.el.hidden = true;
    fill(this.el);
  }

  head(title, sub) {
    return h('header', { class: 'source-head' },
      h('h2', { tabindex: '-1' }, title),
      sub ? h('p', { class: 'card-sub' }, sub) : null,
      h('button', {
        type: 'button', class: 'card-close', 'aria-label': 'Close the source', title: 'Close (Esc)', onclick: () => this.close(),
      }, '×'));
  }

  /** Lists every source, to open one. */
  async list() {
    const mine = ++this.seq;
    this.about = null;
    this.el.hidden = false;
    this.el.dataset.source = '';
    fill(this.el, this.head('Sources'), h('p', { class: 'hint' }, 'Loading…'));
    try {
      const { sources } = await this.fetch(SOURCES, {});
      if (mine !== this.seq) return;
      fill(this.el, this.head('Sources', 'Open one to read it with its facts highlighted.'),
        h('ul', { class: 'source-list' }, sources.nodes.map((s) => h('li', {},
          h('button', { type: 'button', class: 'link', 'data-source-open': s.id }, s.title),
          h('span', { class: 'cite' }, ' ', [s.sourceType.toLowerCase(), s.publisher, s.published && s.published.value].filter(Boolean).join(' · '))))));
      this.el.querySelector('h2').focus();
    } catch (err) {
      if (mine === this.seq) this.failed(err);
    }
  }

  failed(err) {
    fill(this.el, this.head('Source'), h('p', { class: 'hint' }, 'Could not load the source.'));
    this.error('loading the source', err);
  }

  /**
   * Opens a source: its text with every passage highlighted, or its
   * citations. With quote, the first passage quoting it is shown; with
   * about (an entity), the passages about it can be stepped through.
   */
  async open(id, { quote = '', about = null } = {}) {
    const mine = ++this.seq;
    this.el.hidden = false;
    this.el.dataset.source = id;
    fill(this.el, this.head('Source'), h('p', { class: 'hint' }, 'Loading…'));
    let loaded;
    try {
      loaded = await this.load(id);
    } catch (err) {
      if (mine === this.seq) this.failed(err);
      return;
    }
    if (mine !== this.seq) return;
    this.render(loaded, about);
    if (about) this.step(0);
    else if (quote) {
      const p = loaded.passages.find((x) => x.text === quote);
      if (p) this.show(p.index);
    }
  }

  /**
   * Opens the first source (articles first) that holds passages about the
   * entity, on the first of them.
   */
  async openAbout(entityId) {
    const mine = ++this.seq;
    this.el.hidden = false;
    fill(this.el, this.head('Passages'), h('p', { class: 'hint' }, 'Loading…'));
    try {
      const { entity } = await this.fetch(MENTIONS, { id: entityId });
      if (!entity) throw Object.assign(new Error(`there is no entity with id ${entityId}`), { code: 'NOT_FOUND' });
      const order = (s) => (s.sourceType === 'ARTICLE' ? 0 : 1);
      const sources = entity.provenance.map((m) => m.source).sort((a, b) => order(a) - order(b));
      for (const s of sources) {
        const loaded = await this.load(s.id);
        if (mine !== this.seq) return;
        if (loaded.source.text && loaded.passages.some((p) => p.rec.ends.includes(entityId))) {
          this.el.dataset.source = s.id;
          this.render(loaded, { id: entityId, name: entity.name });
          this.step(0);
          return;
        }
      }
      if (mine !== this.seq) return;
      if (sources.length > 0) {
        await this.open(sources[0].id, { about: { id: entityId, name: entity.name } });
        return;
      }
      fill(this.el, this.head(entity.name), h('p', { class: 'hint' }, 'No source mentions it.'));
    } catch (err) {
      if (mine === this.seq) this.failed(err);
    }
  }

  render({ source, passages, records }, about) {
    const meta = [source.sourceType.toLowerCase(), source.publisher, source.published && source.published.value].filter(Boolean).join(' · ');
    this.passages = passages;
    this.about = about ? { ...about, passages: passages.filter((p) => p.rec.ends.includes(about.id)).map((p) => p.index), at: -1 } : null;
    const nav = this.about ? h('nav', { class: 'passage-nav', 'aria-label': 'Passages about the entity' },
      h('span', { class: 'passage-count', 'aria-live': 'polite' }),
      h('button', { type: 'button', id: 'passage-prev', onclick: () => this.step(-1) }, 'Previous'),
      h('button', { type: 'button', id: 'passage-next', onclick: () => this.step(1) }, 'Next')) : null;
    const body = source.text
      ? h('div', { class: 'source-text', lang: source.language || 'vi' }, this.highlighted(source.text, passages))
      : h('ol', { class: 'source-citations' }, passages.map((p) => h('li', { 'data-passage': String(p.index) },
        h('q', {}, p.text), ' ', this.link(p.rec))));
    fill(this.el,
      this.head(source.title, h('span', {}, meta, source.url ? [' · ', h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, 'original')] : null)),
      nav,
      h('p', { class: 'hint' }, `${records} records cite it in ${passages.length} passages${source.text ? '; click a highlight to open what it supports.' : '; the graph does not hold its text.'}`),
      body);
    if (!this.about) this.el.querySelector('h2').focus();
  }

  /** A button that opens the record a passage supports. */
  link(rec) {
    return h('button', {
      type: 'button', class: 'link record-link', 'data-record': rec.id, onclick: () => this.goto(rec),
    }, rec.label);
  }

  /**
   * The text in segments: a segment inside quotes is a mark, linked to the
   * records of the passages that cover it (the innermost first). Offsets
   * count Unicode code points, as the API's do.
   */
  highlighted(text, passages) {
    const cps = Array.from(text);
    const cuts = new Set([0, cps.length]);
    for (const p of passages) {
      if (p.start == null) continue;
      cuts.add(Math.max(0, Math.min(p.start, cps.length)));
      cuts.add(Math.max(0, Math.min(p.end, cps.length)));
    }
    const bounds = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < bounds.length; i += 1) {
      const [a, b] = [bounds[i], bounds[i + 1]];
      const part = cps.slice(a, b).join('');
      const over = passages.filter((p) => p.start != null && p.start <= a && p.end >= b)
        .sort((x, y) => (x.end - x.start) - (y.end - y.start));
      if (over.length === 0) {
        out.push(part);
        continue;
      }
      const recs = [...new Map(over.map((p) => [p.rec.id, p.rec])).values()];
      out.push(h('mark', {
        class: 'passage',
        tabindex: '0',
        role: 'link',
        'data-passages': over.map((p) => p.index).join(' '),
        'data-records': recs.map((r) => r.id).join(' '),
        title: recs.map((r) => r.label).join('\n'),
        onclick: () => this.goto(recs[0]),
        onkeydown: (e) => { if (e.key === 'Enter') this.goto(recs[0]); },
      }, part));
    }
    return out;
  }

  /** Selects a record in the network, opening it (or its end) first when it is not drawn. */
  async goto(rec) {
    if (!this.drawn(rec.id)) await this.act('open', rec.ends[0]);
    await this.act('select', rec.id);
    this.el.dataset.selected = rec.id;
  }

  /** Marks passage i as the current one and scrolls to it. */
  show(i) {
    this.el.querySelectorAll('.current').forEach((m) => m.classList.remove('current'));
    const marks = [...this.el.querySelectorAll('[data-passages], [data-passage]')]
      .filter((m) => (m.dataset.passages || m.dataset.passage).split(' ').includes(String(i)));
    marks.forEach((m) => m.classList.add('current'));
    if (marks.length > 0) marks[0].scrollIntoView({ block: 'center' });
    this.el.dataset.current = String(i);
  }

  /** Steps through the passages about the entity: 0 to the first, ±1 to the next or previous. */
  step(by) {
    const a = this.about;
    if (!a) return;
    const n = a.passages.length;
    a.at = by === 0 ? 0 : Math.min(Math.max(a.at + by, 0), Math.max(n - 1, 0));
    const count = this.el.querySelector('.passage-count');
    if (n === 0) {
      count.textContent = `No passage about ${a.name}.`;
    } else {
      count.textContent = `Passage ${a.at + 1} of ${n} about ${a.name}`;
      this.show(a.passages[a.at]);
    }
    this.el.querySelector('#passage-prev').disabled = a.at <= 0;
    this.el.querySelector('#passage-next').disabled = a.at >= n - 1;
  }
}
