// The path panel: the paths between the open entity and another one,
// ranked by how specific they are (the API's rank SPECIFIC), with the two
// options that keep them telling — off the hubs (entities with more
// relationships than a bound: a country touches almost every locality) and
// off entities the analyst names — and the chosen path, which the network
// highlights.
//
// A path's score is 1 / (deg(v1) × … × deg(vk)) over the entities v1 … vk
// it passes through (its ends excluded), deg counting an entity's
// relationships of any type at any time: a path through two entities with 3
// relationships each scores 1/9, one through a country with 2,000 scores
// 1/2000. The API returns the shortest paths and those one hop longer, best
// score first.

import { h, fill } from './dom.js';
import { entityLink } from './panel.js';

/** The hub bounds offered: keep paths off entities with more relationships than this. */
export const HUB_LIMITS = [10, 30, 100];

/** How many ranked paths the panel asks for. */
export const MAX_PATHS = 5;

/** The PATHS query's variables for a view state. */
export function pathVars(s) {
  return {
    from: s.id,
    to: s.to,
    relationTypes: s.relationTypes,
    kinds: s.kinds,
    asOf: s.asOf,
    avoid: s.avoid,
    maxDegree: s.maxDegree,
    first: MAX_PATHS,
  };
}

/** The path the view highlights: the state's choice, within what was found; null if none was. */
export function chosenPath(paths, s) {
  if (!paths.length) return null;
  return paths[Math.min(Math.max(s.path || 0, 0), paths.length - 1)];
}

/** A score as the panel writes it: three significant digits. */
export function formatScore(x) {
  if (x >= 1) return '1';
  return x >= 0.001 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

/**
 * Renders the panel into el.
 *
 * @param {HTMLElement} el
 * @param {object} o
 * @param {object} o.state        the view state (to, avoid, maxDegree, path)
 * @param {?object} o.target      the other end {id, name, kind}; null: no path asked
 * @param {object[]} o.paths      the ranked paths, each {length, score, nodes, relationships}
 * @param {object[]} o.avoided    the avoided entities {id, name, kind}
 * @param {object} o.on           callbacks: clear(), choose(i), avoid(id), unavoid(id), open(id)
 */
export function renderPaths(el, {
  state, target, paths, avoided, on,
}) {
  if (!state.to || !target) {
    fill(el);
    return;
  }
  const head = h('div', { class: 'path-head', lang: 'en' },
    h('span', {}, 'To ', h('strong', { lang: 'vi' }, target.name)),
    h('button', { type: 'button', class: 'link', id: 'path-clear', onclick: () => on.clear() }, 'clear'));
  const names = new Map(avoided.map((e) => [e.id, e.name]));
  const avoiding = state.avoid.length ? h('div', { class: 'path-avoided', lang: 'en' },
    h('span', { class: 'label' }, 'Avoiding: '),
    state.avoid.map((id) => h('span', { class: 'chip', lang: 'vi', 'data-avoid': id },
      names.get(id) || id, ' ',
      h('button', {
        type: 'button', class: 'link', 'aria-label': `Stop avoiding ${names.get(id) || id}`, title: 'Stop avoiding it', onclick: () => on.unavoid(id),
      }, '×')))) : null;
  if (paths.length === 0) {
    fill(el, head, avoiding, h('p', { class: 'hint', lang: 'en' }, 'No path of at most 4 relationships with these options, filters and date.'));
    return;
  }
  const best = chosenPath(paths, state);
  const shortest = Math.min(...paths.map((p) => p.length));
  fill(el, head, avoiding,
    h('p', { class: 'hint', lang: 'en' },
      `${paths.length} path${paths.length === 1 ? '' : 's'}, the most specific first: score = 1 / the product of the numbers of relationships of the entities passed through.`),
    h('ol', { class: 'path-list' }, paths.map((p, i) => {
      const isChosen = p === best;
      return h('li', { class: `path-item${isChosen ? ' chosen' : ''}`, 'data-rank': String(i + 1), 'data-score': String(p.score) },
        h('button', {
          type: 'button', class: 'path-choose', 'aria-pressed': String(isChosen), lang: 'en', onclick: () => on.choose(i),
          title: isChosen ? 'The path highlighted in the network' : 'Highlight this path in the network',
        }, h('span', { class: 'path-rank' }, `#${i + 1}`), ' ',
        `${p.length} relationship${p.length === 1 ? '' : 's'}${p.length > shortest ? ' (one more than the shortest)' : ''} · score `,
        h('span', { class: 'path-score' }, formatScore(p.score))),
        h('p', { class: 'path-summary' }, p.nodes.map((n) => n.name).join(' → ')),
        isChosen ? steps(p, on) : null);
    })));
}

// steps lists the chosen path's entities and relationships, each entity in
// between with a button to avoid it.
function steps(p, on) {
  return h('ol', { class: 'path-steps' }, p.nodes.map((n, i) => {
    const inner = i > 0 && i < p.nodes.length - 1;
    const step = [h('li', { class: 'step-node' },
      h('span', { class: `swatch kind-${n.kind}`, 'aria-hidden': 'true' }),
      entityLink(n, on.open),
      inner ? h('button', {
        type: 'button', class: 'link path-avoid', lang: 'en', 'data-id': n.id, title: 'Find paths that do not pass through it', onclick: () => on.avoid(n.id),
      }, 'avoid') : null)];
    const r = p.relationships[i];
    if (r) {
      const forward = r.from.id === n.id;
      step.push(h('li', { class: 'step-rel' }, forward ? `↓ ${r.type}` : `↑ ${r.type}`,
        h('span', { class: 'hint' }, forward ? '' : ' (reversed)')));
    }
    return step;
  }));
}
