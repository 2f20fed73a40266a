// The explorer page: search, the entity panel, the network view with its
// filters, the shortest path, and the URL that records the view.

import { gql, SEARCH, ENTITY, NEIGHBORHOOD, PATHS, RELATION_TYPES } from './api.js';
import { KINDS, parseState, formatState, exportURL } from './state.js';
import { GraphView, KIND_STYLE, japaneseName, dateRange } from './graph.js';
import { h, fill } from './dom.js';

/** The most entities a neighbourhood brings in. */
const NEIGHBORHOOD_LIMIT = 300;

/** The RelationType enum, used if the relationTypes query fails. */
const FALLBACK_TYPES = ['PART_OF', 'MERGED_INTO', 'BORDERS', 'LOCATED_IN', 'HOLDS_OFFICE', 'PARTY_TO', 'SIGNED',
  'ORGANIZED', 'PARTICIPATED_IN', 'HELD_IN', 'COOPERATES_WITH', 'INVESTS_IN', 'RESULTED_IN', 'CONCERNS'];

const EXPORT_FORMATS = [
  ['graphml', 'GraphML'],
  ['gexf', 'GEXF'],
  ['cytoscape', 'Cytoscape'],
  ['csv', 'CSV'],
];

const $ = (id) => document.getElementById(id);

let state = parseState(location.search);
let allTypes = FALLBACK_TYPES.map((type) => ({ type, description: '' }));
let generation = 0; // bumped by every reload; answers for an older one are dropped
let inflight = Promise.resolve();
let paths = []; // the shortest paths shown, highlighted in the network
let truncated = false; // whether the limit cut the view short

// ---------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------

/** The status line: progress, a summary, or the error that stopped a load. */
const status = {
  el: $('status'),
  failed: false,
  reset() {
    this.failed = false;
    this.set('', 'idle');
  },
  busy(text) {
    if (!this.failed) this.set(text, 'busy');
  },
  info(text) {
    if (!this.failed) this.set(text, 'info');
  },
  error(what, err) {
    console.error(what, err);
    this.failed = true;
    this.set([h('strong', { class: 'code' }, err.code || 'ERROR'), ' ', err.message, h('span', { class: 'what' }, ` (${what})`)], 'error');
  },
  set(content, kind) {
    fill(this.el, content);
    this.el.dataset.kind = kind;
  },
};

// ---------------------------------------------------------------------------
// The graph view
// ---------------------------------------------------------------------------

const graph = new GraphView($('graph'), {
  onSelect: showSelection,
  onExpand: (id) => expand(id),
});
// Exposed for the browser tests and for analysts at the console.
window.cy = graph.cy;

function showSelection(sel) {
  const box = $('selection');
  if (sel) {
    fill(box, 'Selected: ', h('strong', {}, sel.name), ' ', kindTag(sel.kind));
  } else {
    fill(box, 'Click a node to select it; double-click to expand it.');
  }
  $('open-selected').disabled = !sel || sel.id === state.id;
  $('path-to-selected').disabled = !sel || sel.id === state.id || !state.id;
  $('expand').disabled = !state.id;
}

function graphInfo() {
  const nodes = graph.cy.nodes().length;
  const edges = graph.cy.edges().length;
  const parts = [`${nodes} ${nodes === 1 ? 'entity' : 'entities'}`, `${edges} relationship${edges === 1 ? '' : 's'}`];
  fill($('graph-info'), parts.join(' · '),
    truncated ? h('span', { class: 'warn' }, ` · cut at ${NEIGHBORHOOD_LIMIT} entities`) : null);
}

function neighborhoodVars(id, depth) {
  return {
    id, depth, relationTypes: state.relationTypes, kinds: state.kinds, asOf: state.asOf, limit: NEIGHBORHOOD_LIMIT,
  };
}

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

// track counts the loads under way in body[data-busy], which tests (and
// anyone curious) can watch to know when the view has settled.
let busy = 0;
function track(promise) {
  busy += 1;
  document.body.dataset.busy = String(busy);
  return promise.finally(() => {
    busy -= 1;
    document.body.dataset.busy = String(busy);
  });
}

/** Reloads the view from state; entity false keeps the entity panel as it is. */
function reload({ entity = true } = {}) {
  inflight = track(doReload(entity));
  return inflight;
}

async function doReload(entity) {
  const gen = ++generation;
  status.reset();
  writeURL();
  syncControls();
  if (!state.id) {
    graph.clear();
    truncated = false;
    renderEmptyEntity();
    renderPath(null, []);
    graphInfo();
    return;
  }
  status.busy('Loading…');
  const tasks = [loadGraph(gen)];
  if (entity) tasks.push(loadEntity(gen));
  await Promise.all(tasks);
  if (gen !== generation) return;
  status.info(`Loaded ${graph.cy.nodes().length} entities and ${graph.cy.edges().length} relationships.`);
}

async function loadEntity(gen) {
  try {
    const { entity } = await gql(ENTITY, { id: state.id, asOf: state.asOf });
    if (gen !== generation) return;
    if (!entity) {
      status.error('opening an entity', { code: 'NOT_FOUND', message: `there is no entity with id ${state.id}` });
      renderEmptyEntity();
      return;
    }
    document.title = `${entity.name} · Explorer · Vietnam–Japan local cooperation graph`;
    if (!$('search').value) $('search').value = entity.name;
    renderEntity(entity);
  } catch (err) {
    if (gen === generation) status.error('loading the entity', err);
  }
}

async function loadGraph(gen) {
  truncated = false;
  try {
    const { neighborhood } = await gql(NEIGHBORHOOD, neighborhoodVars(state.id, state.depth));
    if (gen !== generation) return;
    graph.clear();
    graph.merge(neighborhood);
    graph.setRoot(state.id);
    truncated = neighborhood.truncated;
    for (const id of state.expand) {
      if (!graph.has(id)) continue; // filtered out of this view
      const more = await gql(NEIGHBORHOOD, neighborhoodVars(id, 1));
      if (gen !== generation) return;
      graph.merge(more.neighborhood, id);
      graph.markExpanded(id);
      truncated = truncated || more.neighborhood.truncated;
    }
  } catch (err) {
    if (gen !== generation) return;
    graph.clear(); // what is drawn no longer matches the controls
    status.error('loading the network', err);
  }
  if (gen !== generation) return;
  if (state.to) {
    await loadPath(gen);
  } else {
    paths = [];
    renderPath(null, []);
  }
  if (gen !== generation) return;
  graph.layout(true);
  graph.highlight(paths);
  graphInfo();
  showSelection(graph.selected());
}

async function loadPath(gen) {
  paths = [];
  try {
    const data = await gql(PATHS, {
      from: state.id, to: state.to, relationTypes: state.relationTypes, kinds: state.kinds, asOf: state.asOf,
    });
    if (gen !== generation) return;
    if (!data.target) {
      renderPath(null, []);
      status.error('finding the path', { code: 'NOT_FOUND', message: `there is no entity with id ${state.to}` });
      return;
    }
    for (const p of data.paths) graph.merge(p);
    paths = data.paths;
    if (!$('path-to').value) $('path-to').value = data.target.name;
    renderPath(data.target, data.paths);
  } catch (err) {
    if (gen !== generation) return;
    renderPath(null, []);
    status.error('finding the path', err);
  }
}

/** Adds a node's direct neighbours to the view. */
function expand(id) {
  return track(doExpand(id));
}

async function doExpand(id) {
  if (!state.id) return;
  await inflight;
  const gen = generation;
  const name = graph.name(id);
  status.reset();
  status.busy(`Expanding ${name}…`);
  try {
    const { neighborhood } = await gql(NEIGHBORHOOD, neighborhoodVars(id, 1));
    if (gen !== generation) return;
    const added = graph.merge(neighborhood, id);
    graph.markExpanded(id);
    if (id !== state.id && !state.expand.includes(id)) state.expand.push(id);
    writeURL();
    graph.layout(false);
    graph.highlight(paths);
    truncated = truncated || neighborhood.truncated;
    graphInfo();
    status.info(`${name}: ${added} more ${added === 1 ? 'entity' : 'entities'}.`);
  } catch (err) {
    if (gen === generation) status.error(`expanding ${name}`, err);
  }
}

/** Opens an entity: the panel, its neighbourhood, a new history entry. */
function openEntity(id) {
  if (!id) return;
  if (id !== state.id) {
    state.id = id;
    state.expand = [];
    if (state.to === id) state.to = null;
    history.pushState(null, '', location.pathname + formatState(state));
  }
  $('search').value = '';
  return reload();
}

/** Sets (or, with null, clears) the other end of the shortest path. */
function setPathTarget(id, name) {
  return track(doSetPathTarget(id, name));
}

async function doSetPathTarget(id, name) {
  state.to = id;
  $('path-to').value = name || '';
  writeURL();
  await inflight;
  const gen = generation;
  if (!id) {
    paths = [];
    renderPath(null, []);
    graph.highlight([]);
    return;
  }
  status.reset();
  status.busy('Finding the shortest path…');
  const before = graph.cy.nodes().length;
  await loadPath(gen);
  if (gen !== generation) return;
  if (graph.cy.nodes().length > before) graph.layout(false);
  graph.highlight(paths);
  graphInfo();
  if (paths.length) {
    status.info(`Shortest path: ${paths[0].length} relationship${paths[0].length === 1 ? '' : 's'}.`);
  } else if (!status.failed) {
    status.info('No path found.');
  }
}

// ---------------------------------------------------------------------------
// URL and controls
// ---------------------------------------------------------------------------

function writeURL() {
  const url = location.pathname + formatState(state);
  if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  renderExports();
}

function syncControls() {
  $('depth').value = String(state.depth);
  $('as-of').value = state.asOf || '';
  for (const box of document.querySelectorAll('#kind-filters input')) {
    box.checked = !state.kinds || state.kinds.includes(box.value);
  }
  for (const box of document.querySelectorAll('#type-filters input')) {
    box.checked = !state.relationTypes || state.relationTypes.includes(box.value);
  }
  const none = !state.id;
  $('path-to').disabled = none;
  $('expand').disabled = none;
}

// checked returns the values ticked in a group: null if all are, [] if none.
function checked(container) {
  const boxes = [...container.querySelectorAll('input[type=checkbox]')];
  const on = boxes.filter((b) => b.checked).map((b) => b.value);
  return on.length === boxes.length ? null : on;
}

function buildKindFilters() {
  fill($('kind-filters'), KINDS.map((kind) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: kind, checked: true, onchange: onKindsChange }),
    h('span', { class: `swatch kind-${kind}`, 'aria-hidden': 'true' }),
    KIND_STYLE[kind].name)));
}

function onKindsChange(e) {
  const kinds = checked($('kind-filters'));
  if (kinds && kinds.length === 0) {
    e.target.checked = true;
    status.info('Keep at least one kind of entity.');
    return;
  }
  state.kinds = kinds;
  reload({ entity: false });
}

function buildTypeFilters() {
  fill($('type-filters'), allTypes.map((t) => h('label', { class: 'check', title: t.description || null },
    h('input', {
      type: 'checkbox', value: t.type, checked: !state.relationTypes || state.relationTypes.includes(t.type), onchange: onTypesChange,
    }),
    h('span', { class: 'type-name' }, t.type))));
}

function onTypesChange() {
  const types = checked($('type-filters'));
  if (types && types.length === 0) {
    status.info('Tick at least one relationship type.');
    return;
  }
  state.relationTypes = types;
  reload({ entity: false });
}

function setAllTypes(on) {
  for (const box of document.querySelectorAll('#type-filters input')) box.checked = on;
  onTypesChange();
}

async function loadRelationTypes() {
  try {
    const { relationTypes } = await gql(RELATION_TYPES);
    allTypes = relationTypes.map((t) => ({
      type: t.type,
      description: `${t.description} (${t.fromKinds.join(', ')} → ${t.toKinds.join(', ')})`,
    }));
  } catch (err) {
    status.error('listing the relationship types', err);
  }
  buildTypeFilters();
}

function renderExports() {
  const el = $('exports');
  if (!state.id) {
    fill(el, h('span', { class: 'hint' }, 'open an entity first'));
    return;
  }
  fill(el,
    EXPORT_FORMATS.map(([format, label]) => h('a', {
      href: exportURL(state, format),
      class: 'button',
      'data-format': format,
      download: true,
      title: `The neighbourhood as drawn before expansions (depth, kinds, types, date), as ${label}`,
    }, label)),
    h('button', {
      type: 'button',
      class: 'button',
      title: 'The network as drawn, expansions and path included, as a PNG image',
      onclick: () => {
        const a = h('a', { href: graph.png(), download: `${state.id.replace(/[^a-z0-9-]+/gi, '_')}.png` });
        a.click();
      },
    }, 'PNG'));
}

// ---------------------------------------------------------------------------
// Search boxes
// ---------------------------------------------------------------------------

/**
 * Turns an input and a list into a search box: it searches as the user types
 * and calls onPick(entity) with the result chosen.
 */
function picker(input, list, onPick) {
  let seq = 0;
  let timer = 0;
  let hits = [];

  const close = () => {
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
  };
  const pick = (entity) => {
    close();
    onPick(entity);
  };

  async function run() {
    const text = input.value.trim();
    const mine = ++seq;
    if (!text) {
      close();
      return;
    }
    try {
      const { search } = await gql(SEARCH, { text, first: 12 });
      if (mine !== seq) return;
      hits = search.map((s) => s.entity);
      input.setAttribute('aria-expanded', 'true');
      if (hits.length === 0) {
        fill(list, h('li', { class: 'none' }, `Nothing matches “${text}”.`));
        return;
      }
      fill(list, hits.map((e) => h('li', { role: 'option' },
        h('button', { type: 'button', class: 'result', 'data-id': e.id, onclick: () => pick(e) },
          h('span', { class: `swatch kind-${e.kind}`, 'aria-hidden': 'true' }),
          h('span', { class: 'name' }, e.name),
          japaneseName(e) ? h('span', { class: 'ja', lang: 'ja' }, japaneseName(e)) : null,
          kindTag(e.kind)))));
    } catch (err) {
      if (mine === seq) status.error('searching', err);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
    if (e.key === 'ArrowDown') {
      const first = list.querySelector('button');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer);
      if (hits.length && list.childElementCount) pick(hits[0]);
      else run();
    }
  });
  list.addEventListener('keydown', (e) => {
    const items = [...list.querySelectorAll('button')];
    const i = items.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i < items.length - 1) items[i + 1].focus();
    else if (e.key === 'ArrowUp') (i > 0 ? items[i - 1] : input).focus();
    else if (e.key === 'Escape') {
      close();
      input.focus();
    } else return;
    e.preventDefault();
  });
  document.addEventListener('click', (e) => {
    if (!input.contains(e.target) && !list.contains(e.target)) close();
  });
}

// ---------------------------------------------------------------------------
// The entity panel
// ---------------------------------------------------------------------------

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

function country(code) {
  if (!code) return null;
  try {
    const name = regionNames && regionNames.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

function kindTag(kind) {
  return h('span', { class: `kind-tag kind-${kind}` }, (KIND_STYLE[kind] || { name: kind }).name);
}

function entityLink(e) {
  return h('button', {
    type: 'button', class: 'entity-link', 'data-id': e.id, title: `Open ${e.id}`, onclick: () => openEntity(e.id),
  }, e.name);
}

function renderEmptyEntity() {
  fill($('entity'), h('div', { class: 'empty', lang: 'en' },
    h('p', {}, 'Search for a locality, official, organisation, agreement or event above.'),
    h('p', {}, 'Its properties, relationships and the quotes they come from appear here, and its neighbourhood in the network.')));
}

function citations(list, { long = false } = {}) {
  if (!list || list.length === 0) return null;
  return h('ul', { class: 'citations' }, list.map((c) => {
    const s = c.source;
    const meta = [s.publisher, s.published && s.published.value].filter(Boolean).join(', ');
    return h('li', {},
      h('q', {}, c.quote),
      h('span', { class: 'cite' }, ' — ',
        long && s.url ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.title) : h('cite', {}, s.title),
        long && meta ? ` (${meta})` : null));
  }));
}

function renderEntity(e) {
  const typeOf = e.localityType || e.agreementType || e.eventType || e.organizationType || e.officialType;
  const props = [
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

  const others = (e.localNames || []).map((l) => h('span', { class: 'local-name' },
    h('span', { lang: l.lang }, l.value), ' ', h('small', {}, l.lang)));

  const rels = e.relationships;
  const groups = new Map();
  for (const edge of rels.edges) {
    if (!groups.has(edge.type)) groups.set(edge.type, []);
    groups.get(edge.type).push(edge);
  }

  fill($('entity'),
    h('header', { class: 'entity-head' },
      h('h2', {}, e.name),
      others.length ? h('p', { class: 'local-names' }, others) : null,
      h('p', { class: 'id' }, h('code', {}, e.id))),
    h('dl', { class: 'props', lang: 'en' }, props.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    e.aliases.length ? h('p', { class: 'aliases' }, h('span', { class: 'label', lang: 'en' }, 'Also: '), e.aliases.join(' · ')) : null,
    e.description ? h('p', { class: 'description' }, e.description) : null,
    e.figures.length ? h('section', { class: 'figures' },
      h('h3', { lang: 'en' }, 'Figures'),
      h('ul', {}, e.figures.map((f) => h('li', {},
        h('strong', {}, f.label), ': ', [f.qualifier, f.value.toLocaleString('en'), f.unit].filter(Boolean).join(' '),
        f.date ? ` (${f.date.value})` : null,
        citations([f.source]))))) : null,
    h('section', { class: 'relationships' },
      h('h3', { lang: 'en' }, 'Relationships ', h('small', {}, rels.totalCount > rels.edges.length
        ? `${rels.edges.length} of ${rels.totalCount}` : String(rels.totalCount)),
      state.asOf ? h('small', { class: 'as-of' }, ` as of ${state.asOf}`) : null),
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
              ' ', entityLink(edge.node), ' ', kindTag(edge.node.kind)),
            meta.length ? h('div', { class: 'rel-meta' }, meta.join(' · ')) : null,
            citations(edge.sources));
        }))))),
    h('section', { class: 'sources' },
      h('h3', { lang: 'en' }, 'Sources'),
      citations(e.sources, { long: true }) || h('p', { class: 'hint', lang: 'en' }, 'None.')));
}

// ---------------------------------------------------------------------------
// The path panel
// ---------------------------------------------------------------------------

function renderPath(target, found) {
  const el = $('path');
  if (!state.to || !target) {
    fill(el);
    return;
  }
  const head = h('div', { class: 'path-head', lang: 'en' },
    h('span', {}, 'To ', h('strong', { lang: 'vi' }, target.name)),
    h('button', { type: 'button', class: 'link', id: 'path-clear', onclick: () => setPathTarget(null) }, 'clear'));
  if (found.length === 0) {
    fill(el, head, h('p', { class: 'hint', lang: 'en' },
      'No path of at most 4 relationships with these filters and date.'));
    return;
  }
  fill(el, head,
    found.length > 1 ? h('p', { class: 'hint', lang: 'en' }, `${found.length} shortest paths of ${found[0].length} relationships:`) : null,
    found.map((p) => h('div', { class: 'path-item' },
      h('p', { class: 'path-summary' }, p.nodes.map((n) => n.name).join(' → ')),
      h('ol', { class: 'path-steps' }, p.nodes.map((n, i) => {
        const r = p.relationships[i];
        const step = [h('li', { class: 'step-node' }, h('span', { class: `swatch kind-${n.kind}`, 'aria-hidden': 'true' }), entityLink(n))];
        if (r) {
          const forward = r.from.id === n.id;
          step.push(h('li', { class: 'step-rel' }, forward ? `↓ ${r.type}` : `↑ ${r.type}`,
            h('span', { class: 'hint' }, forward ? '' : ' (reversed)')));
        }
        return step;
      })))));
}

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

function wire() {
  picker($('search'), $('search-results'), (e) => openEntity(e.id));
  picker($('path-to'), $('path-results'), (e) => {
    if (!state.id) return;
    if (e.id === state.id) {
      status.info('The path needs another entity than the open one.');
      return;
    }
    setPathTarget(e.id, e.name);
  });
  $('depth').addEventListener('change', () => {
    state.depth = Number.parseInt($('depth').value, 10) || 1;
    reload({ entity: false });
  });
  $('as-of').addEventListener('change', () => {
    state.asOf = $('as-of').value || null;
    reload();
  });
  $('as-of-clear').addEventListener('click', () => {
    if (!state.asOf) return;
    state.asOf = null;
    reload();
  });
  $('types-all').addEventListener('click', () => setAllTypes(true));
  $('types-none').addEventListener('click', () => setAllTypes(false));
  $('expand').addEventListener('click', () => {
    const sel = graph.selected();
    expand(sel ? sel.id : state.id);
  });
  $('open-selected').addEventListener('click', () => {
    const sel = graph.selected();
    if (sel) openEntity(sel.id);
  });
  $('path-to-selected').addEventListener('click', () => {
    const sel = graph.selected();
    if (sel) setPathTarget(sel.id, sel.name);
  });
  $('fit').addEventListener('click', () => graph.fit());
  $('relayout').addEventListener('click', () => graph.layout(true));
  window.addEventListener('popstate', () => {
    state = parseState(location.search);
    $('path-to').value = '';
    $('search').value = '';
    reload();
  });
}

async function main() {
  buildKindFilters();
  buildTypeFilters();
  wire();
  const types = track(loadRelationTypes());
  await reload();
  await types;
}

main();
