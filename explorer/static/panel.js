// The entity panel and the pieces the details card shares with it: kind
// tags, citations with their quotes and sources, entity links.

import { h, fill } from './dom.js';
import { KIND_STYLE, dateRange } from './graph.js';

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

/** "Japan (JP)" for a country code, or the code itself. */
export function country(code) {
  if (!code) return null;
  try {
    const name = regionNames && regionNames.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** A small coloured tag naming a kind. */
export function kindTag(kind) {
  return h('span', { class: `kind-tag kind-${kind}` }, (KIND_STYLE[kind] || { name: kind }).name);
}

/** A button that opens an entity (onOpen(id)). */
export function entityLink(e, onOpen) {
  return h('button', {
    type: 'button', class: 'entity-link', 'data-id': e.id, title: `Open ${e.id}`, onclick: () => onOpen(e.id),
  }, e.name);
}

/** A list of citations: each quote, and its source (with publisher, date and link when long). */
export function citations(list, { long = false } = {}) {
  if (!list || list.length === 0) return null;
  return h('ul', { class: 'citations' }, list.map((c) => {
    const s = c.source;
    const meta = [s.publisher, s.published && s.published.value].filter(Boolean).join(', ');
    return h('li', {},
      h('q', {}, c.quote),
      h('span', { class: 'cite' }, ' — ',
        long && s.url ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.title) : h('cite', {}, s.title),
        long && meta ? ` (${meta})` : null,
        long && s.id ? [' ', h('button', {
          type: 'button', class: 'link source-read', 'data-source-open': s.id, 'data-quote': c.quote, title: 'Read the passage in its source',
        }, 'read')] : null));
  }));
}

/** The properties of an entity worth a line each: [label, value] pairs. */
export function entityProps(e) {
  const typeOf = e.localityType || e.agreementType || e.eventType || e.organizationType || e.officialType;
  return [
    ['Kind', kindTag(e.kind)],
    ['Type', typeOf],
    ['Country', country(e.country)],
    ['ISO code', e.isoCode],
    ['Valid from', e.validFrom && e.validFrom.value],
    ['Valid to', e.validTo && e.validTo.value],
    ['Date', e.date && e.date.value],
    ['Start', e.startDate && e.startDate.value],
    ['End', e.endDate && e.endDate.value],
    ['Founded', e.founded && e.founded.value],
    ['Dissolved', e.dissolved && e.dissolved.value],
    ['Topics', e.topics && e.topics.length ? e.topics.join(', ') : null],
  ].filter(([, v]) => v);
}

/** A definition list of [label, value] pairs. */
export function propList(props) {
  return h('dl', { class: 'props', lang: 'en' }, props.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Shows the hint of an empty panel. */
export function renderEmptyEntity(el) {
  fill(el, h('div', { class: 'empty', lang: 'en' },
    h('p', {}, 'Search for a locality, official, organisation, agreement or event above.'),
    h('p', {}, 'Its properties, relationships and the quotes they come from appear here, and its neighbourhood in the network.')));
}

/** The figures an entity's sources state, each with its citation. */
export function figures(e) {
  if (!e.figures.length) return null;
  return h('section', { class: 'figures' },
    h('h3', { lang: 'en' }, 'Figures'),
    h('ul', {}, e.figures.map((f) => h('li', {},
      h('strong', {}, f.label), ': ', [f.qualifier, f.value.toLocaleString('en'), f.unit].filter(Boolean).join(' '),
      f.date ? ` (${f.date.value})` : null,
      citations([f.source])))));
}

/**
 * Shows an entity in the panel: its names, properties, figures, every
 * relationship grouped by type with role, dates and quotes, and its sources.
 */
export function renderEntity(el, e, { asOf, onOpen }) {
  const others = (e.localNames || []).map((l) => h('span', { class: 'local-name' },
    h('span', { lang: l.lang }, l.value), ' ', h('small', {}, l.lang)));
  const rels = e.relationships;
  const groups = new Map();
  for (const edge of rels.edges) {
    if (!groups.has(edge.type)) groups.set(edge.type, []);
    groups.get(edge.type).push(edge);
  }
  fill(el,
    h('header', { class: 'entity-head' },
      h('h2', {}, e.name),
      others.length ? h('p', { class: 'local-names' }, others) : null,
      h('p', { class: 'id' }, h('code', {}, e.id))),
    propList(entityProps(e)),
    e.aliases.length ? h('p', { class: 'aliases' }, h('span', { class: 'label', lang: 'en' }, 'Also: '), e.aliases.join(' · ')) : null,
    e.description ? h('p', { class: 'description' }, e.description) : null,
    figures(e),
    h('section', { class: 'relationships' },
      h('h3', { lang: 'en' }, 'Relationships ', h('small', {}, rels.totalCount > rels.edges.length
        ? `${rels.edges.length} of ${rels.totalCount}` : String(rels.totalCount)),
      asOf ? h('small', { class: 'as-of' }, ` as of ${asOf}`) : null),
      groups.size === 0 ? h('p', { class: 'hint', lang: 'en' }, 'None.') : null,
      [...groups].map(([type, edges]) => h('div', { class: 'rel-group' },
        h('h4', {}, type),
        h('ul', {}, edges.map((edge) => {
          const dates = dateRange(edge.validFrom, edge.validTo);
          const meta = [edge.role, dates, ...edge.properties.map((p) => `${p.key}: ${p.value}`)].filter(Boolean);
          return h('li', { class: 'rel' },
            h('div', { class: 'rel-line' },
              h('span', { class: 'dir', title: edge.direction === 'OUT' ? `${e.name} → other` : `other → ${e.name}` },
                edge.direction === 'OUT' ? '→' : '←'),
              ' ', entityLink(edge.node, onOpen), ' ', kindTag(edge.node.kind)),
            meta.length ? h('div', { class: 'rel-meta' }, meta.join(' · ')) : null,
            citations(edge.sources));
        }))))),
    h('section', { class: 'sources' },
      h('h3', { lang: 'en' }, 'Sources'),
      citations(e.sources, { long: true }) || h('p', { class: 'hint', lang: 'en' }, 'None.')));
}
