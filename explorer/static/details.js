// The details card: everything known about the selected node or edge —
// properties, dates, every citation with its quote and source — and what
// can be done with it, without changing the view. Answers are cached, so
// stepping back and forth through selections costs no request; a change
// to a record (from the live feed) forgets what was cached of it.

import { gql, ENTITY, RELATIONSHIP } from './api.js';
import { h, fill } from './dom.js';
import { dateRange } from './graph.js';
import {
  kindTag, citations, entityProps, propList, figures,
} from './panel.js';
import { HistorySection } from './history.js';

/** The details card over the network. */
export class DetailsCard {
  /**
   * @param {HTMLElement} el
   * @param {object} o
   * @param {function(): ?string} o.asOf        the day the view shows
   * @param {function(string, object): void} o.act  runs an action (expand, hide, …) on an element
   * @param {function(string, object): void} o.error  reports a failure
   */
  constructor(el, { asOf, act, error }) {
    this.el = el;
    this.asOf = asOf;
    this.act = act;
    this.error = error;
    this.cache = new Map();
    this.history = new HistorySection({ error });
    this.current = null;
    this.seq = 0;
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.act('close', null);
    });
  }

  fetch(query, id) {
    const key = `${query === ENTITY ? 'e' : 'r'}|${id}|${this.asOf() || ''}`;
    if (!this.cache.has(key)) {
      const p = gql(query, query === ENTITY ? { id, asOf: this.asOf() } : { id, day: this.asOf() });
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return this.cache.get(key);
  }

  /** Shows the card again for the same element (after the day changed); nothing if it is closed or gone. */
  refresh(cy) {
    const ele = this.current && !this.el.hidden ? cy.getElementById(this.current) : null;
    if (ele && ele.nonempty()) this.show(ele);
  }

  /** Forgets what was loaded of a record that changed (its details and history). */
  forget(id) {
    for (const key of [...this.cache.keys()]) {
      if (key.split('|')[1] === id) this.cache.delete(key);
    }
    this.history.forget(id);
  }

  /** Closes the card. */
  hide() {
    this.current = null;
    this.seq += 1;
    this.el.hidden = true;
    fill(this.el);
  }

  /** Shows the card for a Cytoscape element; focus moves to it when focus is true. */
  async show(ele, { focus = false } = {}) {
    const mine = ++this.seq;
    this.current = ele.id();
    this.el.hidden = false;
    this.el.dataset.id = ele.id();
    this.el.dataset.group = ele.isNode() ? 'node' : 'edge';
    fill(this.el, this.head(ele.data('name') || ele.data('type') || ele.id(), null), h('p', { class: 'hint' }, 'Loading…'));
    try {
      if (ele.isNode() && ele.data('kind') === 'COLLAPSED') {
        this.renderCollapsed(ele);
      } else if (ele.isNode()) {
        const { entity } = await this.fetch(ENTITY, ele.id());
        if (mine !== this.seq) return;
        if (!entity) throw Object.assign(new Error(`there is no entity with id ${ele.id()}`), { code: 'NOT_FOUND' });
        this.renderEntity(ele, entity);
      } else {
        const { relationship } = await this.fetch(RELATIONSHIP, ele.id());
        if (mine !== this.seq) return;
        if (!relationship) throw Object.assign(new Error(`there is no relationship with id ${ele.id()}`), { code: 'NOT_FOUND' });
        this.renderRelationship(relationship);
      }
      if (focus) this.el.querySelector('h2').focus();
    } catch (err) {
      if (mine !== this.seq) return;
      fill(this.el, this.head(ele.id(), null), h('p', { class: 'hint' }, 'Could not load the details.'));
      this.error('loading the details', err);
    }
  }

  head(title, tag, sub) {
    return h('header', { class: 'card-head' },
      h('h2', { tabindex: '-1' }, title, ' ', tag),
      sub ? h('p', { class: 'card-sub' }, sub) : null,
      h('button', {
        type: 'button', class: 'card-close', 'aria-label': 'Close the details', title: 'Close (Esc)', onclick: () => this.act('close', null),
      }, '×'));
  }

  actions(list) {
    return h('div', { class: 'card-actions', role: 'toolbar', 'aria-label': 'Actions' }, list.filter(Boolean).map(([action, label, title, target]) => h('button', {
      type: 'button', 'data-action': action, title, onclick: () => this.act(action, target),
    }, label)));
  }

  renderEntity(ele, e) {
    const hub = ele.connectedEdges().connectedNodes().filter((n) => n.id() !== ele.id() && n.degree() === 1).length >= 2;
    const tagged = [...entityProps(e)];
    fill(this.el,
      this.head(e.name, kindTag(e.kind), h('code', {}, e.id)),
      this.actions([
        ['expand', 'Expand', 'Add its neighbours (E)', ele.id()],
        ['hide', 'Hide', 'Hide it (Delete)', ele.id()],
        ['hide-others', 'Hide others', 'Keep only it and the open entity (O)', ele.id()],
        hub ? ['collapse', 'Collapse', 'Fold the neighbours linked to nothing else into one count node (C)', ele.id()] : null,
        ['pin', ele.hasClass('pinned') ? 'Unpin' : 'Pin', 'Keep it where it is in every layout (P)', ele.id()],
        ['path', 'Path here', 'Show the shortest path from the open entity to it', ele.id()],
        ['open', 'Open', 'Make it the open entity, in a new view', ele.id()],
        ['passages', 'Passages about this', 'Read what the sources say of it, passage by passage', ele.id()],
      ]),
      propList(tagged),
      e.aliases.length ? h('p', { class: 'aliases' }, h('span', { class: 'label' }, 'Also: '), e.aliases.join(' · ')) : null,
      e.description ? h('p', { class: 'description' }, e.description) : null,
      figures(e),
      h('section', { class: 'sources' },
        h('h3', {}, 'Sources ', h('small', {}, String(e.sources.length))),
        citations(e.sources, { long: true }) || h('p', { class: 'hint' }, 'None.')),
      h('p', { class: 'hint' }, `${e.relationships.totalCount} relationships in the graph, ${ele.degree()} drawn; the panel on the left lists the open entity's.`),
      this.history.section(e.id));
  }

  renderRelationship(r) {
    const dates = dateRange(r.validFrom, r.validTo);
    const props = [
      ['From', h('button', { type: 'button', class: 'entity-link', 'data-id': r.from.id, onclick: () => this.act('select', r.from.id) }, r.from.name)],
      ['To', h('button', { type: 'button', class: 'entity-link', 'data-id': r.to.id, onclick: () => this.act('select', r.to.id) }, r.to.name)],
      ['Role', r.role],
      ['Valid', dates || 'no dates known'],
      ['Reported on', r.reportedOn.map((d) => d.value).join(', ')],
      [this.asOf() ? `On ${this.asOf()}` : 'Time status', timeStatus(r.status)],
      ...r.properties.filter((p) => p.key !== 'reportedOn').map((p) => [p.key, p.value]),
    ].filter(([, v]) => v);
    fill(this.el,
      this.head(r.type, null, h('code', {}, r.id)),
      propList(props),
      h('section', { class: 'sources' },
        h('h3', {}, 'Sources ', h('small', {}, String(r.sources.length))),
        citations(r.sources, { long: true }) || h('p', { class: 'hint' }, 'None.')),
      this.history.section(r.id));
  }

  renderCollapsed(ele) {
    fill(this.el,
      this.head(ele.data('label'), null, `folded from ${ele.data('hubName')}`),
      this.actions([['expand-collapsed', 'Show them', 'Unfold the count node (Enter on the node)', ele.data('hub')]]),
      h('ul', { class: 'folded' }, (ele.data('members') || []).map((m) => h('li', {}, m.name, ' ', kindTag(m.kind)))));
  }
}

// What each time status means, as the card says it.
const STATUS_TEXT = {
  HOLDS: 'its dates confirm the day',
  UNKNOWN: 'nothing rules the day out, nothing confirms it: no dates, or reported on other days only',
  OUTSIDE: 'its dates rule the day out',
};

// timeStatus shows a relationship's status on the view's day, or, without
// a day, where to pick one.
function timeStatus(status) {
  if (!status) return h('span', { class: 'hint' }, 'pick a day on the time bar');
  return h('span', { 'data-status': status }, h('span', { class: 'time-status' }, status), ` — ${STATUS_TEXT[status] || ''}`);
}
