// The legend: what colours, shapes, sizes and line styles mean in the view.

import { h, fill } from './dom.js';
import { KIND_STYLE } from './graph.js';

/**
 * Shows the legend: categories [{name, color, count}] for the colouring,
 * the kinds' shapes, the measure nodes are sized by, and the marks (a
 * Set of root, path, appeared, ended, unknown, collapsed) the view uses.
 */
export function renderLegend(el, {
  colorBy, categories, sizeBy, sizeNote, theme, marks,
}) {
  const swatch = (color, shape) => h('span', { class: `legend-swatch shape-${shape}`, style: `background:${color}`, 'aria-hidden': 'true' });
  fill(el,
    h('h2', {}, 'Legend'),
    h('p', { class: 'legend-head' }, `Colour: ${colorBy}`),
    h('ul', {}, categories.map((c) => h('li', {}, swatch(c.color, c.shape || 'ellipse'), `${c.name} `, h('small', {}, `(${c.count})`)))),
    colorBy !== 'kind' ? [h('p', { class: 'legend-head' }, 'Shape: kind'),
      h('ul', {}, Object.entries(KIND_STYLE).filter(([k]) => k !== 'COLLAPSED').map(([, s]) => h('li', {}, swatch(theme.other, s.shape), s.name)))] : null,
    h('p', { class: 'legend-head' }, sizeBy === 'none' ? 'Size: the same for all' : `Size: ${sizeBy}${sizeNote ? ` (${sizeNote})` : ''}`),
    // Only the marks the view uses, so that the legend covers little of it.
    h('ul', { class: 'marks' }, [
      ['root', 'open entity'],
      ['path', 'the chosen path'],
      ['appeared', 'appeared since'],
      ['ended', 'ended since, or not existing that day'],
      ['unknown', 'dotted: not known to hold that day (no dates, or reported on other days only)'],
      ['collapsed', 'collapsed: +N entities'],
    ].filter(([m]) => marks.has(m)).map(([m, label]) => h('li', {}, h('span', { class: `mark mark-${m}`, 'aria-hidden': 'true' }), label))));
}
