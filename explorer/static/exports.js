// Exports of the view, made in the browser from what is drawn: exactly the
// entities and relationships on screen, with their positions, sizes and
// colours (GEXF viz, GraphML attributes, Cytoscape.js JSON positions), and
// a GEXF whose entities and relationships carry their dates, for Gephi's
// timeline. File names say what was exported: the open entity, the counts,
// the day.

import { channels } from './palette.js';

const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The formats offered, with their extension, MIME type and description. */
export const FORMATS = {
  gexf: { ext: 'gexf', mime: 'application/gexf+xml', label: 'GEXF', title: 'The view as drawn, for Gephi: positions, sizes and colours (viz)' },
  'gexf-timeline': { ext: 'gexf', mime: 'application/gexf+xml', label: 'GEXF timeline', title: 'The view for every date, each entity and relationship with its dates, for Gephi\'s timeline' },
  graphml: { ext: 'graphml', mime: 'application/graphml+xml', label: 'GraphML', title: 'The view as drawn, with x, y, size and colour attributes' },
  cyjs: { ext: 'cyjs', mime: 'application/json', label: 'Cytoscape', title: 'The view as drawn, as Cytoscape.js JSON with positions' },
};

const NODE_ATTRS = ['kind', 'type', 'country', 'from', 'to', 'count'];
const EDGE_ATTRS = ['type', 'role', 'from', 'to'];

function hex(color) {
  const [r, g, b] = channels(color);
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

// describe reads what an exported node or edge carries from the drawing.
function describeNode(n) {
  const d = n.data();
  const [r, g, b] = channels(n.style('background-color'));
  return {
    id: d.id,
    label: d.name || d.label,
    attrs: NODE_ATTRS.map((k) => [k, d[k]]).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    x: Math.round(n.position('x') * 10) / 10,
    y: Math.round(n.position('y') * 10) / 10,
    size: d.size,
    r, g, b,
    color: hex(n.style('background-color')),
  };
}

function describeEdge(e) {
  const d = e.data();
  const [r, g, b] = channels(e.style('line-color'));
  return {
    id: d.id,
    source: d.source,
    target: d.target,
    label: d.type || '',
    attrs: EDGE_ATTRS.map((k) => [k, d[k]]).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    r, g, b,
    color: hex(e.style('line-color')),
  };
}

function gexf(nodes, edges, { dynamic, description }) {
  const attrDecl = (cls, names) => `    <attributes class="${cls}">\n${names.map((k) => `      <attribute id="${k}" title="${k}" type="${k === 'count' ? 'integer' : 'string'}"/>`).join('\n')}\n    </attributes>`;
  const values = (attrs) => (attrs.length ? `<attvalues>${attrs.map(([k, v]) => `<attvalue for="${k}" value="${esc(v)}"/>`).join('')}</attvalues>` : '');
  const span = (x) => {
    if (!dynamic) return '';
    const from = x.attrs.find(([k]) => k === 'from');
    const to = x.attrs.find(([k]) => k === 'to');
    return `${from ? ` start="${from[1]}"` : ''}${to ? ` end="${to[1]}"` : ''}`;
  };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">',
    `  <meta><creator>vjkg explorer</creator><description>${esc(description)}</description></meta>`,
    `  <graph defaultedgetype="directed" mode="${dynamic ? 'dynamic' : 'static'}"${dynamic ? ' timeformat="date"' : ''}>`,
    attrDecl('node', NODE_ATTRS),
    attrDecl('edge', EDGE_ATTRS),
    '    <nodes>',
    ...nodes.map((n) => `      <node id="${esc(n.id)}" label="${esc(n.label)}"${span(n)}>${values(n.attrs)}`
      + `<viz:color r="${n.r}" g="${n.g}" b="${n.b}"/><viz:position x="${n.x}" y="${-n.y}" z="0"/><viz:size value="${n.size}"/></node>`),
    '    </nodes>',
    '    <edges>',
    ...edges.map((e) => `      <edge id="${esc(e.id)}" source="${esc(e.source)}" target="${esc(e.target)}" label="${esc(e.label)}"${span(e)}>${values(e.attrs)}`
      + `<viz:color r="${e.r}" g="${e.g}" b="${e.b}"/></edge>`),
    '    </edges>',
    '  </graph>',
    '</gexf>',
  ];
  return `${lines.join('\n')}\n`;
}

function graphml(nodes, edges, { description }) {
  const keys = [
    ['label', 'node', 'string'], ...NODE_ATTRS.map((k) => [k, 'node', k === 'count' ? 'int' : 'string']),
    ['x', 'node', 'double'], ['y', 'node', 'double'], ['size', 'node', 'double'],
    ['r', 'node', 'int'], ['g', 'node', 'int'], ['b', 'node', 'int'], ['color', 'node', 'string'],
    ['label', 'edge', 'string'], ...EDGE_ATTRS.map((k) => [k, 'edge', 'string']), ['color', 'edge', 'string'],
  ];
  const id = (name, what) => `${what[0]}_${name}`;
  const data = (what, pairs) => pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<data key="${id(k, what)}">${esc(v)}</data>`).join('');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    `  <!-- ${esc(description).replace(/--/g, '- -')} -->`,
    ...keys.map(([k, what, type]) => `  <key id="${id(k, what)}" for="${what}" attr.name="${k}" attr.type="${type}"/>`),
    '  <graph id="view" edgedefault="directed">',
    ...nodes.map((n) => `    <node id="${esc(n.id)}">${data('node', [['label', n.label], ...n.attrs, ['x', n.x], ['y', n.y], ['size', n.size], ['r', n.r], ['g', n.g], ['b', n.b], ['color', n.color]])}</node>`),
    ...edges.map((e) => `    <edge id="${esc(e.id)}" source="${esc(e.source)}" target="${esc(e.target)}">${data('edge', [['label', e.label], ...e.attrs, ['color', e.color]])}</edge>`),
    '  </graph>',
    '</graphml>',
  ];
  return `${lines.join('\n')}\n`;
}

function cyjs(nodes, edges, { description }) {
  const obj = (x, extra) => ({ data: { id: x.id, ...Object.fromEntries(x.attrs), ...extra } });
  return `${JSON.stringify({
    format_version: '1.0',
    generated_by: 'vjkg explorer',
    target_cytoscapejs_version: '~3.34',
    data: { name: description },
    elements: {
      nodes: nodes.map((n) => ({ ...obj(n, { name: n.label, size: n.size, color: n.color }), position: { x: n.x, y: n.y } })),
      edges: edges.map((e) => obj(e, {
        source: e.source, target: e.target, interaction: e.label, color: e.color,
      })),
    },
  }, null, 1)}\n`;
}

/** A file-name part from an id: locality:fukuoka → fukuoka. */
export function slug(id) {
  return String(id || 'view').replace(/^[a-z]+:/, '').replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60) || 'view';
}

/**
 * Builds an export of the view: {name, mime, text}. eles are the elements
 * to export (for the timeline, every element of the view, whatever the day).
 */
export function build(format, eles, { root, asOf }) {
  const nodes = eles.nodes().map(describeNode);
  const edges = eles.edges().map(describeEdge);
  const f = FORMATS[format];
  const what = format === 'gexf-timeline' ? 'timeline' : 'view';
  const day = format !== 'gexf-timeline' && asOf ? `-as-of-${asOf}` : '';
  const name = `${slug(root)}-${what}-${nodes.length}-nodes-${edges.length}-edges${day}.${f.ext}`;
  const description = `${what === 'timeline' ? 'Every date of the' : 'The'} view of ${root} in the vjkg explorer: `
    + `${nodes.length} entities, ${edges.length} relationships${day ? `, as of ${asOf}` : ''}`;
  const opts = { description, dynamic: format === 'gexf-timeline' };
  let text;
  if (format === 'graphml') text = graphml(nodes, edges, opts);
  else if (format === 'cyjs') text = cyjs(nodes, edges, opts);
  else text = gexf(nodes, edges, opts);
  return { name, mime: f.mime, text };
}

/** Saves a file through the browser's download. */
export function download(name, href) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

/** Saves text as a file. */
export function downloadText(name, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  download(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
