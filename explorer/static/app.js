// The explorer page: it wires the modules together and owns the view's
// state. Every change to the view (open, expand, hide, collapse, pin, a
// filter, the day, the layout) goes through one path: change the state,
// apply it to the drawing, and commit it as a history entry whose URL holds
// the whole view, positions included — so Back, Forward, Undo and Redo
// step through views, and a copied URL draws the same picture. Answers are
// cached per query, so stepping back costs no request.

import {
  gql, requests, ENTITY, NEIGHBORHOOD, PATHS, RELATION_TYPES, MEASURES,
} from './api.js';
import {
  KINDS, LIMITS, LAYOUTS, SIZES, COLORS, parseState, formatState, exportURL,
  encodePositions, decodePositions,
} from './state.js';
import {
  GraphView, KIND_STYLE, nodeLabel, edgeLabel,
} from './graph.js';
import { layout, register } from './layout.js';
import {
  Timeline, shownOn, changeDays, interval, statusOn,
} from './time.js';
import {
  HUB_LIMITS, pathVars, chosenPath, renderPaths,
} from './paths.js';
import { DetailsCard } from './details.js';
import { renderEntity, renderEmptyEntity, kindTag } from './panel.js';
import { picker } from './search.js';
import { Status } from './status.js';
import { KeyboardNav } from './keyboard.js';
import { SavedViews } from './views.js';
import { renderLegend } from './legend.js';
import { FORMATS, build, download, downloadText, slug } from './exports.js';
import {
  THEMES, themeName, failures, pairs, contrast, channels,
} from './palette.js';
import { h, fill } from './dom.js';
import { SourceView } from './source.js';
import { LiveFeed } from './live.js';
import { recordLabel } from './history.js';

/** The RelationType enum, used if the relationTypes query fails. */
const FALLBACK_TYPES = ['PART_OF', 'MERGED_INTO', 'BORDERS', 'LOCATED_IN', 'HOLDS_OFFICE', 'PARTY_TO', 'SIGNED',
  'ORGANIZED', 'PARTICIPATED_IN', 'HELD_IN', 'COOPERATES_WITH', 'INVESTS_IN', 'RESULTED_IN', 'CONCERNS'];

const SERVER_FORMATS = [['graphml', 'GraphML'], ['gexf', 'GEXF'], ['cytoscape', 'Cytoscape'], ['csv', 'CSV']];

const MEASURE_OF = { degree: 'DEGREE', betweenness: 'BETWEENNESS', pagerank: 'PAGERANK' };
const MEASURE_FIELD = { degree: 'degree', betweenness: 'betweenness', pagerank: 'pageRank' };

const $ = (id) => document.getElementById(id);

const HELP = 'Click a node or relationship for its details; double-click a node to expand it; right-click for more. '
  + 'With the keyboard: Tab to the network, arrow keys between nodes, [ and ] through a node\'s relationships, Enter for details.';

/** The explorer page. */
class Explorer {
  constructor() {
    register();
    this.state = parseState(location.search);
    this.status = new Status($('status'));
    this.cache = new Map();
    this.generation = 0;
    this.busy = 0;
    this.paths = [];
    this.avoided = [];
    this.truncated = false;
    this.loaded = null; // the view's elements for every date: {nodes, edges, anchors, forced}
    this.remembered = new Map(); // positions of nodes seen in this tab, by id
    this.values = null; // the size measure's values, by id
    this.sizeNote = '';
    this.idx = 0;
    this.maxIdx = 0;
    this.allTypes = FALLBACK_TYPES.map((type) => ({ type, description: '' }));
    this.timings = {};

    this.graph = new GraphView($('graph'), {
      onSelect: (ele) => this.onSelect(ele),
      onActivate: (id) => this.onActivate(id),
      onContext: (ele, at) => this.contextMenu(ele, at),
      onDragged: (id) => this.onDragged(id),
      onViewport: () => this.viewportLater(),
    });
    this.graph.importance = (n) => this.importance(n);
    this.graph.setTheme(themeName());
    this.timeline = new Timeline($('timebar'), {
      onPreview: (day) => this.previewDay(day),
      onChange: (day, o) => this.setDay(day, o),
      onSince: (day) => this.change(() => { this.state.since = day; }),
    });
    this.card = new DetailsCard($('card'), {
      asOf: () => this.state.asOf,
      act: (action, id) => this.act(action, id),
      error: (what, err) => this.status.error(what, err),
    });
    this.sources = new SourceView($('source-view'), {
      act: (action, id) => this.act(action, id),
      drawn: (id) => this.graph.cy.getElementById(id).nonempty(),
      error: (what, err) => this.status.error(what, err),
    });
    this.live = new LiveFeed($('live'), $('live-toggle'), {
      onChange: (c) => this.onLiveChange(c),
      open: (c) => this.openChange(c),
      onToggle: (on) => {
        this.state.live = on;
        this.commit({ push: false });
      },
      name: (id) => this.graph.name(id),
      error: (what, err) => this.status.error(what, err),
    });
    this.liveTouched = new Set();
    this.keys = new KeyboardNav(this.graph, $('graph'), $('graph-live'), {
      root: () => this.state.id,
      open: (ele) => {
        this.graph.cy.$(':selected').unselect();
        ele.select();
        this.card.show(ele);
      },
      act: (action, id) => this.act(action, id),
    });
    this.views = new SavedViews($('views'), {
      current: () => (this.state.id ? formatState(this.state) : ''),
      open: (q) => this.openQuery(q),
      info: (text) => this.status.info(text),
      download: (name, text) => downloadText(name, 'application/json', text),
    });
    // Exposed for the browser tests and for analysts at the console.
    window.cy = this.graph.cy;
    window.explorer = {
      app: this, cy: this.graph.cy, requests, live: this.live, palette: {
        failures, pairs, contrast, channels, THEMES,
      },
    };
  }

  // -------------------------------------------------------------------------
  // Loading
  // -------------------------------------------------------------------------

  // track counts the loads under way in body[data-busy], which tests (and
  // anyone curious) can watch to know when the view has settled.
  track(promise) {
    this.busy += 1;
    document.body.dataset.busy = String(this.busy);
    return promise.finally(() => {
      this.busy -= 1;
      document.body.dataset.busy = String(this.busy);
    });
  }

  /** A query's answer, from the cache when it was asked before. */
  cached(query, vars) {
    const key = JSON.stringify([query.slice(0, 40), vars]);
    if (!this.cache.has(key)) {
      const p = gql(query, vars);
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return this.cache.get(key);
  }

  neighborhoodVars(id, depth) {
    const s = this.state;
    return {
      id, depth, relationTypes: s.relationTypes, kinds: s.kinds, limit: s.limit,
    };
  }

  /** Loads what the state asks for, for every date: the neighbourhood, the expansions, the path. */
  async load(gen) {
    const s = this.state;
    const nodes = new Map();
    const rels = new Map();
    const anchors = [{ id: s.id, depth: s.depth }];
    const forced = new Set();
    const add = (sub) => {
      for (const n of sub.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
      for (const r of sub.relationships) rels.set(r.id, r);
    };
    const { neighborhood } = await this.cached(NEIGHBORHOOD, this.neighborhoodVars(s.id, s.depth));
    if (gen !== this.generation) return null;
    add(neighborhood);
    let truncated = neighborhood.truncated;
    // Fetched together; added in order, each only if an earlier step drew
    // its node (a filter may have removed it since).
    const more = await Promise.all(s.expand
      .map((id) => this.cached(NEIGHBORHOOD, this.neighborhoodVars(id, 1)).then((d) => [id, d.neighborhood])));
    if (gen !== this.generation) return null;
    for (const [id, sub] of more) {
      if (!nodes.has(id)) continue;
      add(sub);
      anchors.push({ id, depth: 1 });
      truncated = truncated || sub.truncated;
    }
    this.paths = [];
    this.pathTarget = null;
    if (s.to) {
      try {
        const data = await this.cached(PATHS, pathVars(s));
        if (gen !== this.generation) return null;
        if (!data.target) {
          this.status.error('finding the path', { code: 'NOT_FOUND', message: `there is no entity with id ${s.to}` });
        } else {
          this.pathTarget = data.target;
          this.paths = data.paths;
          this.avoided = data.avoided.filter(Boolean);
          for (const p of data.paths) {
            add(p);
            for (const n of p.nodes) forced.add(n.id);
            for (const r of p.relationships) forced.add(r.id);
          }
        }
      } catch (err) {
        if (gen === this.generation) this.status.error('finding the path', err);
      }
    }
    this.truncated = truncated;
    return { nodes, rels, anchors, forced };
  }

  /**
   * Turns what was loaded into the elements to draw: hidden nodes left out,
   * collapsed hubs' leaves folded into a count node.
   */
  elements(loaded) {
    const s = this.state;
    const hidden = new Set(s.hide.filter((id) => id !== s.id));
    const keep = new Set([s.id, ...s.expand, ...(s.to ? [s.to] : []), ...loaded.forced]);
    const nodes = new Map();
    for (const [id, e] of loaded.nodes) {
      if (hidden.has(id)) continue;
      const iv = interval(e.from, e.to);
      nodes.set(id, {
        data: {
          id,
          name: e.name,
          kind: e.kind,
          label: nodeLabel(e),
          type: e.localityType || e.organizationType || e.agreementType || e.eventType || e.officialType || null,
          country: e.country || null,
          from: iv.from,
          to: iv.to,
        },
      });
    }
    let edges = [];
    for (const r of loaded.rels.values()) {
      if (!nodes.has(r.from.id) || !nodes.has(r.to.id)) continue;
      const iv = interval(r.validFrom, r.validTo);
      edges.push({
        data: {
          id: r.id, source: r.from.id, target: r.to.id, type: r.type, role: r.role || null, label: edgeLabel(r), from: iv.from, to: iv.to,
          // For the time status on the slider's day (time.js statusOn).
          sureFrom: r.validFrom ? r.validFrom.latest : null,
          sureTo: r.validTo ? r.validTo.earliest : null,
          reports: (r.reportedOn || []).map((d) => ({ earliest: d.earliest, latest: d.latest })),
        },
      });
    }
    for (const hub of s.collapse) {
      if (!nodes.has(hub)) continue;
      const degree = new Map();
      for (const e of edges) {
        for (const id of [e.data.source, e.data.target]) degree.set(id, (degree.get(id) || 0) + 1);
      }
      const leaves = edges.filter((e) => e.data.source === hub || e.data.target === hub)
        .map((e) => (e.data.source === hub ? e.data.target : e.data.source))
        .filter((id) => id !== hub && degree.get(id) === 1 && !keep.has(id));
      if (leaves.length < 2) continue;
      const gone = new Set(leaves);
      const members = leaves.map((id) => ({ id, name: nodes.get(id).data.name, kind: nodes.get(id).data.kind }))
        .sort((a, b) => a.name.localeCompare(b.name));
      for (const id of leaves) nodes.delete(id);
      edges = edges.filter((e) => !gone.has(e.data.source) && !gone.has(e.data.target));
      const id = `collapsed:${hub}`;
      nodes.set(id, {
        data: {
          id, kind: 'COLLAPSED', label: `+${leaves.length}`, name: `${leaves.length} entities folded into ${nodes.get(hub).data.name}`, hub, hubName: nodes.get(hub).data.name, count: leaves.length, members,
        },
      });
      edges.push({ data: { id: `collapsed-edge:${hub}`, source: hub, target: id, type: 'COLLAPSED', label: `${leaves.length} entities` } });
    }
    return { nodes: [...nodes.values()], edges };
  }

  /**
   * Applies the state to the page: loads (from the cache when it can), draws,
   * places new nodes, applies the day, colours, sizes and labels.
   * restore: take positions, zoom and selection from the state (a URL, a
   * step in history); fresh: lay everything out anew.
   */
  apply({ entity = true, restore = false, fresh = false } = {}) {
    return this.track(this.doApply({ entity, restore, fresh }));
  }

  async doApply({ entity, restore, fresh }) {
    const gen = ++this.generation;
    const started = performance.now();
    const s = this.state;
    this.status.reset();
    this.syncControls();
    this.renderExports();
    if (!s.id) {
      this.graph.sync([], []);
      this.loaded = null;
      this.card.hide();
      renderEmptyEntity($('entity'));
      this.renderPath();
      this.graphInfo();
      return;
    }
    this.status.busy('Loading…');
    const panel = entity ? this.loadEntity(gen) : Promise.resolve();
    let loaded;
    try {
      loaded = await this.load(gen);
    } catch (err) {
      if (gen !== this.generation) return;
      this.graph.sync([], []);
      this.loaded = null;
      this.status.error('loading the network', err);
      await panel;
      return;
    }
    if (!loaded || gen !== this.generation) return;
    this.timings.fetch = performance.now() - started;
    this.loaded = loaded;
    const { nodes, edges } = this.elements(loaded);
    const t0 = performance.now();
    const before = this.graph.cy.nodes().length;
    const added = this.graph.sync(nodes, edges);
    const cy = this.graph.cy;
    this.graph.mark('root', new Set([s.id]));
    this.graph.mark('expanded', new Set(s.expand));
    this.graph.mark('pinned', new Set(s.pin));
    const best = chosenPath(this.paths, s);
    const onPath = new Set(best ? [...best.nodes.map((n) => n.id), ...best.relationships.map((r) => r.id)] : []);
    this.graph.mark('on-path', onPath);
    cy.elements().toggleClass('faded', false);
    if (onPath.size) cy.elements().filter((e) => !onPath.has(e.id())).addClass('faded');

    // Positions: from the URL when restoring a view, else from memory, else
    // placed (all anew when nothing had a place).
    let placedFromURL = false;
    if (restore && s.pos) {
      const points = decodePositions(s.pos);
      const ids = cy.nodes().map((n) => n.id()).sort();
      if (points && points.length === ids.length) {
        cy.batch(() => ids.forEach((id, i) => cy.getElementById(id).position({ x: points[i][0], y: points[i][1] })));
        added.clear();
        placedFromURL = true;
      }
    }
    for (const id of [...added]) {
      if (this.remembered.has(id)) {
        cy.getElementById(id).position({ ...this.remembered.get(id) });
        added.delete(id);
      }
    }
    const all = added.size === cy.nodes().length;
    if (!placedFromURL && (fresh || all || added.size)) {
      layout(cy, {
        name: s.layout, fresh: fresh || all, added, pinned: new Set(s.pin), root: s.id, pane: this.graph.pane(),
      });
    }
    cy.nodes().forEach((n) => this.remembered.set(n.id(), { ...n.position() }));
    this.timings.layout = performance.now() - t0;

    this.applyDay(s.asOf, s.since);
    this.recolour();
    if (restore && s.view) {
      const [zoom, x, y] = s.view.split(',').map(Number);
      cy.viewport({ zoom, pan: { x, y } });
    } else if (restore || fresh || all || before === 0) {
      this.graph.fit();
    }
    this.graph.labels();
    this.timings.draw = performance.now() - t0;
    if (restore) this.restoreSelection();
    this.renderPath();
    this.graphInfo();
    this.resize(gen);
    await panel;
    if (gen !== this.generation) return;
    this.timings.total = performance.now() - started;
    this.status.info(`Showing ${this.graph.onScreen().nodes().length} entities and ${this.graph.onScreen().edges().length} relationships.`);
  }

  async loadEntity(gen) {
    const s = this.state;
    try {
      const { entity } = await this.cached(ENTITY, { id: s.id, asOf: s.asOf });
      if (gen !== this.generation) return;
      if (!entity) {
        this.status.error('opening an entity', { code: 'NOT_FOUND', message: `there is no entity with id ${s.id}` });
        renderEmptyEntity($('entity'));
        return;
      }
      document.title = `${entity.name} · Explorer · Vietnam–Japan local cooperation graph`;
      renderEntity($('entity'), entity, { asOf: s.asOf, onOpen: (id) => this.openEntity(id) });
    } catch (err) {
      if (gen === this.generation) this.status.error('loading the entity', err);
    }
  }

  restoreSelection() {
    const cy = this.graph.cy;
    cy.$(':selected').unselect();
    if (!this.state.sel) {
      this.card.hide();
      return;
    }
    const el = cy.getElementById(this.state.sel);
    if (el.nonempty()) el.select();
  }

  // -------------------------------------------------------------------------
  // History: every view is a history entry
  // -------------------------------------------------------------------------

  /** The view's URL, with the current positions, zoom and selection. */
  snapshot() {
    const cy = this.graph.cy;
    const s = this.state;
    if (s.id && cy.nodes().nonempty()) {
      const ids = cy.nodes().map((n) => n.id()).sort();
      s.pos = encodePositions(ids.map((id) => {
        const p = cy.getElementById(id).position();
        return [p.x, p.y];
      }));
      const pan = cy.pan();
      s.view = `${Math.round(cy.zoom() * 1000) / 1000},${Math.round(pan.x)},${Math.round(pan.y)}`;
    } else {
      s.pos = null;
      s.view = null;
    }
    const sel = this.graph.selected();
    s.sel = sel ? sel.id() : null;
    return location.pathname + formatState(s);
  }

  /** Records the view: a new history entry (push), or in place of the current one. */
  commit({ push = true } = {}) {
    const url = this.snapshot();
    if (push) {
      this.idx += 1;
      this.maxIdx = this.idx;
      history.pushState({ idx: this.idx }, '', url);
    } else {
      history.replaceState({ idx: this.idx }, '', url);
    }
    this.renderExports();
    this.syncUndo();
  }

  viewportLater() {
    clearTimeout(this.viewportTimer);
    this.viewportTimer = setTimeout(() => {
      if (this.state.id && this.busy === 0) this.commit({ push: false });
    }, 300);
  }

  /** Changes the state with fn, applies it and records a new view. */
  change(fn, opts = {}) {
    fn();
    return this.apply({ entity: false, ...opts }).then(() => this.commit());
  }

  undo() {
    if (this.idx > 0) history.back();
  }

  redo() {
    if (this.idx < this.maxIdx) history.forward();
  }

  syncUndo() {
    $('undo').disabled = this.idx <= 0;
    $('redo').disabled = this.idx >= this.maxIdx;
  }

  onPopState(e) {
    this.idx = (e.state && e.state.idx) || 0;
    const before = this.state.id;
    this.state = parseState(location.search);
    this.state.live = this.live.on; // following the feed is the page's, not a step of history
    $('path-to').value = '';
    this.apply({ entity: true, restore: true, fresh: before !== this.state.id && !this.state.pos });
    this.syncUndo();
  }

  /** Opens a saved view's query string as a new history entry. */
  openQuery(q) {
    this.state = parseState(q);
    this.state.live = this.live.on;
    this.apply({ entity: true, restore: true }).then(() => this.commit());
  }

  // -------------------------------------------------------------------------
  // Actions
  // -------------------------------------------------------------------------

  /** Opens an entity: the panel, its neighbourhood, a new view. */
  openEntity(id) {
    if (!id) return Promise.resolve();
    $('search').value = '';
    const s = this.state;
    if (id === s.id) return Promise.resolve();
    s.id = id;
    s.expand = [];
    s.hide = [];
    s.collapse = [];
    s.pin = [];
    s.sel = null;
    if (s.to === id) s.to = null;
    this.card.hide();
    return this.apply({ entity: true, fresh: true }).then(() => this.commit());
  }

  /** Adds a node's direct neighbours to the view. */
  expand(id) {
    const s = this.state;
    if (!s.id || !id) return Promise.resolve();
    const name = this.graph.name(id);
    const n0 = this.graph.cy.nodes().length;
    return this.change(() => {
      if (id !== s.id && !s.expand.includes(id)) s.expand.push(id);
    }).then(() => {
      const added = this.graph.cy.nodes().length - n0;
      if (!this.status.failed) this.status.info(`${name}: ${added} more ${added === 1 ? 'entity' : 'entities'}.`);
    });
  }

  /** Runs an action of the card, the context menu, the toolbar or the keyboard on an element. */
  act(action, id) {
    const s = this.state;
    const cy = this.graph.cy;
    this.closeMenu();
    switch (action) {
      case 'close':
        cy.$(':selected').unselect();
        this.card.hide();
        $('graph').focus();
        return Promise.resolve();
      case 'select': {
        const el = cy.getElementById(id);
        cy.$(':selected').unselect();
        if (el.nonempty()) el.select();
        return Promise.resolve();
      }
      case 'details': {
        const el = cy.getElementById(id);
        if (el.nonempty()) this.card.show(el, { focus: true });
        return Promise.resolve();
      }
      case 'expand':
        return this.expand(id);
      case 'expand-collapsed':
        return this.change(() => { s.collapse = s.collapse.filter((x) => x !== id); });
      case 'hide':
        if (id === s.id) {
          this.status.info('The open entity cannot be hidden; open another one instead.');
          return Promise.resolve();
        }
        if (cy.getElementById(id).data('kind') === 'COLLAPSED') {
          return this.act('expand-collapsed', cy.getElementById(id).data('hub'));
        }
        this.card.hide();
        return this.change(() => { s.hide = [...new Set([...s.hide, id])]; });
      case 'hide-others': {
        const keep = new Set([id, s.id]);
        this.card.hide();
        return this.change(() => {
          s.hide = [...new Set([...s.hide, ...cy.nodes().map((n) => n.id())
            .filter((x) => !keep.has(x) && !x.startsWith('collapsed:'))])];
        });
      }
      case 'show-hidden':
        return this.change(() => { s.hide = []; });
      case 'collapse':
        return this.change(() => { if (!s.collapse.includes(id)) s.collapse.push(id); });
      case 'pin':
        return this.change(() => {
          s.pin = s.pin.includes(id) ? s.pin.filter((x) => x !== id) : [...s.pin, id];
        });
      case 'path':
        return this.setPathTarget(id);
      case 'open':
        return this.openEntity(id);
      case 'passages':
        return this.sources.openAbout(id);
      default:
        return Promise.resolve();
    }
  }

  onSelect(ele) {
    if (ele) this.card.show(ele);
    else this.card.hide();
    this.syncToolbar();
    if (this.busy === 0 && this.state.id) this.commit({ push: false });
  }

  onActivate(id) {
    const n = this.graph.cy.getElementById(id);
    if (n.data('kind') === 'COLLAPSED') this.act('expand-collapsed', n.data('hub'));
    else this.expand(id);
  }

  onDragged(id) {
    const s = this.state;
    this.remembered.set(id, { ...this.graph.cy.getElementById(id).position() });
    if (!s.pin.includes(id) && !id.startsWith('collapsed:')) s.pin.push(id);
    this.graph.mark('pinned', new Set(s.pin));
    this.commit();
  }

  /** Sets (or, with null, clears) the other end of the shortest path. */
  setPathTarget(id) {
    const s = this.state;
    if (id && id === s.id) {
      this.status.info('The path needs another entity than the open one.');
      return Promise.resolve();
    }
    $('path-to').value = '';
    return this.change(() => {
      s.to = id || null;
      s.path = 0;
    }).then(() => {
      if (!s.to || this.status.failed) return;
      if (this.paths.length) {
        const p = this.paths[0];
        this.status.info(`${this.paths.length} path${this.paths.length === 1 ? '' : 's'}; the most specific: ${p.length} relationship${p.length === 1 ? '' : 's'}.`);
      } else {
        this.status.info('No path found.');
      }
    });
  }

  // -------------------------------------------------------------------------
  // Live changes
  // -------------------------------------------------------------------------

  /**
   * A change arrived from the live feed. What was cached of the record (and
   * of a relationship's ends) is forgotten; if it touches the view — a drawn
   * entity, a drawn relationship, or a relationship with a drawn end — the
   * view is loaded again (a renamed entity shows its new name, a deleted
   * relationship goes, a new one between drawn entities appears), once for
   * a burst of changes, and the open details card follows.
   */
  onLiveChange(c) {
    const ids = new Set([c.recordId]);
    if (c.recordType === 'RELATIONSHIP') {
      for (const r of [c.before, c.after]) {
        if (r) {
          ids.add(r.from);
          ids.add(r.to);
        }
      }
    }
    for (const id of ids) this.card.forget(id);
    // Cached answers may hold the record as it was: every view asks again.
    this.cache.clear();
    const rev = c.revision;
    $('graph-live').textContent = `${rev.actor} ${c.operation.toLowerCase()}d ${recordLabel(c, (id) => this.graph.name(id))} (revision ${rev.seq}).`;
    if (!this.state.id) return;
    const cy = this.graph.cy;
    if (![...ids].some((id) => id === this.state.id || cy.getElementById(id).nonempty())) return;
    for (const id of ids) this.liveTouched.add(id);
    clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => this.reloadForChanges(), 250);
  }

  async reloadForChanges() {
    const touched = this.liveTouched;
    this.liveTouched = new Set();
    const shown = this.card.current;
    const hadFocus = this.card.el.contains(document.activeElement);
    await this.apply({ entity: true });
    const cy = this.graph.cy;
    if (shown && shown === this.card.current) {
      const ele = cy.getElementById(shown);
      if (ele.empty()) this.card.hide();
      else if (touched.has(shown)) this.card.show(ele, { focus: hadFocus });
    }
    if (this.busy === 0) this.commit({ push: false });
  }

  /** Shows a change's record: selected in the network, opening it (or a relationship's first end) when it is not drawn. */
  async openChange(c) {
    const id = c.recordId;
    if (c.recordType === 'SOURCE') {
      this.sources.open(id);
      return;
    }
    if (!this.graph.has(id)) {
      const r = c.after;
      if (!r) {
        this.status.info(`${recordLabel(c)} was deleted in revision ${c.revision.seq}.`);
        return;
      }
      await this.openEntity(c.recordType === 'RELATIONSHIP' ? r.from : id);
    }
    if (this.graph.has(id)) {
      await this.act('select', id);
    } else {
      this.status.info(`${recordLabel(c)} is not in this view (a filter or the day hides it).`);
    }
  }

  // -------------------------------------------------------------------------
  // Time
  // -------------------------------------------------------------------------

  /** Shows the view on a day (and the changes since another) without a request. */
  applyDay(day, since) {
    if (!this.loaded) return;
    const cy = this.graph.cy;
    const nodes = cy.nodes().filter((n) => n.data('kind') !== 'COLLAPSED').map((n) => ({ id: n.id(), from: n.data('from'), to: n.data('to') }));
    const edges = cy.edges().filter((e) => e.data('type') !== 'COLLAPSED').map((e) => ({
      id: e.id(), source: e.data('source'), target: e.data('target'), from: e.data('from'), to: e.data('to'),
    }));
    const anchors = this.loaded.anchors.filter((a) => cy.getElementById(a.id).nonempty());
    const now = shownOn(nodes, edges, anchors, this.loaded.forced, day);
    let appeared = new Set();
    let ended = new Set();
    if (day && since && since !== day) {
      const then = shownOn(nodes, edges, anchors, this.loaded.forced, since);
      appeared = new Set([...now.shown].filter((id) => !then.shown.has(id)));
      ended = new Set([...then.shown].filter((id) => !now.shown.has(id)));
    }
    const unknown = new Set(day ? cy.edges().filter((e) => e.data('type') !== 'COLLAPSED' && statusOn(e.data(), day) === 'UNKNOWN').map((e) => e.id()) : []);
    this.graph.applyTime({
      shown: now.shown, defunct: now.defunct, appeared, ended, unknown,
    });
    this.timeline.set(changeDays([...nodes, ...edges]), day, since);
    this.graph.labelsLater();
    this.graphInfo();
  }

  previewDay(day) {
    this.applyDay(day, this.state.since);
  }

  /** Sets the day (null: any): the panel and the path follow, as a new view. */
  setDay(day, { since, playing = false } = {}) {
    const s = this.state;
    if (day === s.asOf && since === undefined) return Promise.resolve();
    s.asOf = day;
    if (since !== undefined) s.since = since;
    if (!day) s.since = null;
    return this.apply({ entity: true }).then(() => {
      this.card.refresh(this.graph.cy);
      this.commit({ push: !playing });
    });
  }

  // -------------------------------------------------------------------------
  // Appearance: colour, size, labels, legend
  // -------------------------------------------------------------------------

  recolour() {
    const t = THEMES[this.graph.theme];
    const by = this.state.color;
    const cy = this.graph.cy;
    let categories;
    if (by === 'kind') {
      this.graph.colour((n) => t.kinds[n.data('kind')] || t.other);
      categories = KINDS.map((k) => ({
        name: KIND_STYLE[k].name, color: t.kinds[k], shape: KIND_STYLE[k].shape, count: cy.nodes(`[kind = "${k}"]`).length,
      })).filter((c) => c.count);
    } else {
      const counts = new Map();
      cy.nodes().forEach((n) => {
        const v = n.data(by);
        if (v) counts.set(v, (counts.get(v) || 0) + 1);
      });
      const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, t.categories.length);
      const colourOf = new Map(top.map(([v], i) => [v, t.categories[i]]));
      this.graph.colour((n) => colourOf.get(n.data(by)) || t.other);
      categories = top.map(([v, count]) => ({ name: v, color: colourOf.get(v), count }));
      const rest = cy.nodes().filter((n) => n.data('kind') !== 'COLLAPSED' && !colourOf.has(n.data(by))).length;
      if (rest) categories.push({ name: 'other or unknown', color: t.other, count: rest });
    }
    this.categories = categories;
    this.renderLegend();
  }

  /** Sizes nodes by the chosen measure, from the API's measures of the open entity's neighbourhood. */
  async resize(gen) {
    const s = this.state;
    this.sizeNote = '';
    if (s.size === 'none') {
      this.values = null;
    } else {
      const field = MEASURE_FIELD[s.size];
      try {
        const { measures } = await this.cached(MEASURES, {
          id: s.id,
          depth: Math.min(3, s.depth + (s.expand.length || s.to ? 1 : 0)),
          relationTypes: s.relationTypes,
          kinds: s.kinds,
          orderBy: MEASURE_OF[s.size],
          first: 100,
        });
        if (gen !== this.generation) return;
        this.values = new Map(measures.map((m) => [m.entity.id, m[field]]));
        this.sizeNote = 'the top 100 of the neighbourhood';
      } catch (err) {
        if (gen !== this.generation) return;
        // The API refuses a neighbourhood too large to measure, or is busy:
        // size by the degree within the view instead, and say so.
        this.values = new Map(this.graph.cy.nodes().map((n) => [n.id(), n.degree()]));
        this.sizeNote = `degree in the view: the API said ${err.code || 'ERROR'}`;
      }
    }
    this.graph.size(this.values);
    this.graph.labels();
    this.renderLegend();
  }

  importance(n) {
    if (n.id() === this.state.id) return 1e9;
    if (n.selected() || n.hasClass('kbd-focus')) return 1e8;
    if (n.hasClass('on-path')) return 1e7;
    if (n.hasClass('expanded')) return 1e6;
    if (this.values && this.values.has(n.id())) return 1e3 + this.values.get(n.id()) * 1e3 / (Math.max(...this.values.values()) || 1);
    return n.degree();
  }

  renderLegend() {
    const cy = this.graph.cy;
    const marks = new Set(['root']);
    if (this.paths.length) marks.add('path');
    if (cy.$('.appeared').nonempty()) marks.add('appeared');
    if (cy.$('.ended, .defunct').nonempty()) marks.add('ended');
    if (cy.$('edge.time-unknown').filter((e) => !e.hasClass('time-hidden')).nonempty()) marks.add('unknown');
    if (cy.nodes('[kind = "COLLAPSED"]').nonempty()) marks.add('collapsed');
    renderLegend($('legend'), {
      colorBy: this.state.color,
      categories: this.categories || [],
      sizeBy: this.state.size,
      sizeNote: this.sizeNote,
      theme: THEMES[this.graph.theme],
      marks,
    });
  }

  // -------------------------------------------------------------------------
  // Controls
  // -------------------------------------------------------------------------

  syncControls() {
    const s = this.state;
    $('depth').value = String(s.depth);
    $('limit').value = String(s.limit);
    $('layout').value = s.layout;
    $('size').value = s.size;
    $('color').value = s.color;
    for (const box of document.querySelectorAll('#kind-filters input')) box.checked = !s.kinds || s.kinds.includes(box.value);
    for (const box of document.querySelectorAll('#type-filters input')) box.checked = !s.relationTypes || s.relationTypes.includes(box.value);
    $('path-to').disabled = !s.id;
    $('path-hubs').value = s.maxDegree ? String(s.maxDegree) : '';
    this.syncToolbar();
    this.syncUndo();
  }

  syncToolbar() {
    const s = this.state;
    const sel = this.graph.selected();
    const node = sel && sel.isNode() && sel.data('kind') !== 'COLLAPSED' ? sel : null;
    $('expand').disabled = !s.id;
    $('hide').disabled = !node || node.id() === s.id;
    $('hide-others').disabled = !node;
    $('collapse').disabled = !node;
    $('path-to-selected').disabled = !node || node.id() === s.id;
    $('show-hidden').hidden = s.hide.length === 0;
    $('show-hidden').textContent = `Show hidden (${s.hide.length})`;
    const box = $('selection');
    if (sel && sel.isNode()) fill(box, 'Selected: ', h('strong', {}, sel.data('name') || sel.data('label')), ' ', sel.data('kind') !== 'COLLAPSED' ? kindTag(sel.data('kind')) : null);
    else if (sel) fill(box, 'Selected: ', h('strong', {}, sel.data('type')), ` ${this.graph.name(sel.data('source'))} → ${this.graph.name(sel.data('target'))}`);
    else fill(box, 'Click a node or a relationship for its details.');
  }

  graphInfo() {
    const on = this.graph.onScreen();
    const nodes = on.nodes().length;
    const edges = on.edges().length;
    const parts = [`${nodes} ${nodes === 1 ? 'entity' : 'entities'}`, `${edges} relationship${edges === 1 ? '' : 's'}`];
    if (this.state.asOf) parts.push(`as of ${this.state.asOf}`);
    if (this.state.hide.length) parts.push(`${this.state.hide.length} hidden`);
    fill($('graph-info'), parts.join(' · '),
      this.truncated ? h('span', { class: 'warn' }, ` · cut at ${this.state.limit} entities`) : null);
  }

  buildFilters() {
    fill($('kind-filters'), KINDS.map((kind) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: kind, checked: true, onchange: (e) => this.onKindsChange(e) }),
      h('span', { class: `swatch kind-${kind}`, 'aria-hidden': 'true' }),
      KIND_STYLE[kind].name)));
    this.buildTypeFilters();
    const options = (id, values, label) => fill($(id), values.map((v) => h('option', { value: v }, label(v))));
    options('limit', LIMITS, (v) => `${v} entities`);
    options('layout', LAYOUTS, (v) => ({ force: 'Force-directed', concentric: 'Concentric by hops', time: 'Time on the x axis' })[v]);
    options('size', SIZES, (v) => ({
      none: 'Nothing', degree: 'Degree', betweenness: 'Betweenness', pagerank: 'PageRank',
    })[v]);
    options('color', COLORS, (v) => ({ kind: 'Kind', type: 'Type', country: 'Country' })[v]);
  }

  buildTypeFilters() {
    const s = this.state;
    fill($('type-filters'), this.allTypes.map((t) => h('label', { class: 'check', title: t.description || null },
      h('input', {
        type: 'checkbox', value: t.type, checked: !s.relationTypes || s.relationTypes.includes(t.type), onchange: () => this.onTypesChange(),
      }),
      h('span', { class: 'type-name' }, t.type))));
  }

  onKindsChange(e) {
    const kinds = checked($('kind-filters'));
    if (kinds && kinds.length === 0) {
      e.target.checked = true;
      this.status.info('Keep at least one kind of entity.');
      return;
    }
    this.change(() => { this.state.kinds = kinds; });
  }

  onTypesChange() {
    const types = checked($('type-filters'));
    if (types && types.length === 0) {
      this.status.info('Tick at least one relationship type.');
      return;
    }
    this.change(() => { this.state.relationTypes = types; });
  }

  async loadRelationTypes() {
    try {
      const { relationTypes } = await gql(RELATION_TYPES);
      this.allTypes = relationTypes.map((t) => ({
        type: t.type,
        description: `${t.description} (${t.fromKinds.join(', ')} → ${t.toKinds.join(', ')})`,
      }));
    } catch (err) {
      this.status.error('listing the relationship types', err);
    }
    this.buildTypeFilters();
  }

  renderExports() {
    const s = this.state;
    const el = $('export-list');
    if (!s.id) {
      fill(el, h('span', { class: 'hint' }, 'open an entity first'));
      return;
    }
    fill(el,
      Object.entries(FORMATS).map(([format, f]) => h('button', {
        type: 'button', class: 'button', 'data-format': format, title: f.title, onclick: () => this.exportView(format),
      }, f.label)),
      h('button', {
        type: 'button', class: 'button', 'data-format': 'png', title: 'The view as drawn, as a PNG image', onclick: () => this.exportPNG(),
      }, 'PNG'),
      h('details', { class: 'server-exports' },
        h('summary', { title: 'The neighbourhood from the server, every attribute and citation, before expansions' }, 'Server'),
        SERVER_FORMATS.map(([format, label]) => h('a', {
          href: exportURL(s, format), class: 'button', 'data-format': format, download: true,
        }, label))));
  }

  exportView(format) {
    const eles = format === 'gexf-timeline' ? this.graph.cy.elements() : this.graph.onScreen();
    const f = build(format, eles, { root: this.state.id, asOf: this.state.asOf });
    downloadText(f.name, f.mime, f.text);
    this.status.info(`Exported ${f.name}.`);
  }

  exportPNG() {
    const n = this.graph.onScreen();
    const day = this.state.asOf ? `-as-of-${this.state.asOf}` : '';
    download(`${slug(this.state.id)}-view-${n.nodes().length}-nodes-${n.edges().length}-edges${day}.png`, this.graph.png());
  }

  renderPath() {
    const s = this.state;
    renderPaths($('path'), {
      state: s,
      target: this.pathTarget,
      paths: this.paths,
      avoided: this.avoided,
      on: {
        clear: () => this.setPathTarget(null),
        choose: (i) => this.change(() => { s.path = i; }),
        avoid: (id) => this.change(() => {
          s.avoid = [...new Set([...s.avoid, id])];
          s.path = 0;
        }),
        unavoid: (id) => this.change(() => {
          s.avoid = s.avoid.filter((x) => x !== id);
          s.path = 0;
        }),
        open: (id) => this.openEntity(id),
      },
    });
  }

  contextMenu(ele, at) {
    const menu = $('context-menu');
    const id = ele.id();
    const items = ele.isNode() && ele.data('kind') !== 'COLLAPSED'
      ? [['details', 'Details'], ['expand', 'Expand'], ['hide', 'Hide'], ['hide-others', 'Hide others'], ['collapse', 'Collapse neighbours'],
        ['pin', ele.hasClass('pinned') ? 'Unpin' : 'Pin'], ['path', 'Path here'], ['open', 'Open']]
      : ele.isNode() ? [['expand-collapsed', 'Show them', ele.data('hub')]] : [['details', 'Details']];
    fill(menu, items.map(([action, label, target]) => h('button', {
      type: 'button', role: 'menuitem', 'data-action': action, onclick: () => this.act(action, target || id),
    }, label)));
    menu.style.left = `${Math.round(at.x)}px`;
    menu.style.top = `${Math.round(at.y)}px`;
    menu.hidden = false;
    menu.querySelector('button').focus();
  }

  closeMenu() {
    $('context-menu').hidden = true;
  }

  // -------------------------------------------------------------------------
  // Start
  // -------------------------------------------------------------------------

  wire() {
    picker($('search'), $('search-results'), {
      onPick: (e) => this.openEntity(e.id),
      onError: (what, err) => this.status.error(what, err),
    });
    picker($('path-to'), $('path-results'), {
      onPick: (e) => { if (this.state.id) this.setPathTarget(e.id); },
      onError: (what, err) => this.status.error(what, err),
    });
    const on = (id, event, fn) => $(id).addEventListener(event, fn);
    on('depth', 'change', () => this.change(() => { this.state.depth = Number.parseInt($('depth').value, 10) || 1; }));
    on('limit', 'change', () => this.change(() => { this.state.limit = Number.parseInt($('limit').value, 10); }));
    on('layout', 'change', () => this.change(() => { this.state.layout = $('layout').value; }, { fresh: true }));
    on('size', 'change', () => this.change(() => { this.state.size = $('size').value; }));
    on('color', 'change', () => this.change(() => { this.state.color = $('color').value; }));
    on('types-all', 'click', () => this.setAllTypes(true));
    on('types-none', 'click', () => this.setAllTypes(false));
    on('expand', 'click', () => {
      const sel = this.graph.selected();
      this.expand(sel && sel.isNode() ? sel.id() : this.state.id);
    });
    for (const action of ['hide', 'hide-others', 'collapse']) {
      on(action, 'click', () => {
        const sel = this.graph.selected();
        if (sel) this.act(action, sel.id());
      });
    }
    on('show-hidden', 'click', () => this.act('show-hidden', null));
    fill($('path-hubs'), h('option', { value: '' }, 'no'), HUB_LIMITS.map((n) => h('option', { value: String(n) }, `over ${n} relationships`)));
    on('path-hubs', 'change', () => this.change(() => {
      this.state.maxDegree = Number.parseInt($('path-hubs').value, 10) || null;
      this.state.path = 0;
    }));
    on('path-to-selected', 'click', () => {
      const sel = this.graph.selected();
      if (sel) this.setPathTarget(sel.id());
    });
    on('undo', 'click', () => this.undo());
    on('redo', 'click', () => this.redo());
    on('fit', 'click', () => this.graph.fit());
    on('relayout', 'click', () => this.change(() => {}, { fresh: true }));
    on('legend-toggle', 'click', () => {
      const hidden = $('legend').toggleAttribute('hidden');
      $('legend-toggle').setAttribute('aria-pressed', String(!hidden));
    });
    window.addEventListener('popstate', (e) => this.onPopState(e));
    document.addEventListener('keydown', (e) => {
      const typing = e.target.closest && e.target.closest('input, textarea, select');
      if (e.key === 'Escape') this.closeMenu();
      if (typing || !(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) this.undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') this.redo();
      else return;
      e.preventDefault();
    });
    document.addEventListener('click', (e) => {
      if (!$('context-menu').contains(e.target)) this.closeMenu();
    });
    if (window.matchMedia) {
      window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
        this.graph.setTheme(themeName());
        this.recolour();
        this.graph.labels();
      });
    }
    $('graph-help').textContent = HELP;
  }

  setAllTypes(on) {
    for (const box of document.querySelectorAll('#type-filters input')) box.checked = on;
    this.onTypesChange();
  }

  async main() {
    this.buildFilters();
    this.wire();
    const types = this.track(this.loadRelationTypes());
    await this.apply({ entity: true, restore: true });
    history.replaceState({ idx: 0 }, '', this.state.id ? this.snapshot() : location.pathname + location.search);
    this.syncUndo();
    if (this.state.live) this.live.start();
    await types;
  }
}

// checked returns the values ticked in a group: null if all are, [] if none.
function checked(container) {
  const boxes = [...container.querySelectorAll('input[type=checkbox]')];
  const on = boxes.filter((b) => b.checked).map((b) => b.value);
  return on.length === boxes.length ? null : on;
}

new Explorer().main();
