// Keyboard access to the network. The graph pane takes focus (Tab); then
// the arrow keys move a focus ring to the nearest node in that direction,
// [ and ] step through the focused node's relationships, Enter (or Space)
// selects what has the focus and opens its details card, and single keys
// act on it: E expand, Delete hide, O hide others, C collapse, P pin. Each
// move is announced to screen readers through a live region.

const ARROWS = {
  ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1],
};

/** Keyboard navigation over a GraphView. */
export class KeyboardNav {
  /**
   * @param {import('./graph.js').GraphView} graph
   * @param {HTMLElement} container  the focusable graph pane
   * @param {HTMLElement} live       an aria-live region
   * @param {object} o
   * @param {function(): ?string} o.root       the open entity
   * @param {function(object): void} o.open   selects an element and opens its card
   * @param {function(string, string): void} o.act  runs an action on an element id
   */
  constructor(graph, container, live, o) {
    this.graph = graph;
    this.live = live;
    this.o = o;
    this.focused = null;
    this.edgeIndex = -1;
    container.addEventListener('focus', () => {
      if (!this.current()) this.focus(this.start());
    });
    container.addEventListener('keydown', (e) => this.key(e));
  }

  current() {
    if (!this.focused) return null;
    const el = this.graph.cy.getElementById(this.focused);
    return el.nonempty() && !el.hasClass('time-hidden') ? el : null;
  }

  start() {
    const cy = this.graph.cy;
    const sel = this.graph.selected();
    if (sel) return sel;
    const root = cy.getElementById(this.o.root() || '');
    if (root.nonempty()) return root;
    return cy.nodes().filter((n) => !n.hasClass('time-hidden')).first();
  }

  /** Moves the focus ring to an element and announces it. */
  focus(ele) {
    const cy = this.graph.cy;
    cy.$('.kbd-focus').removeClass('kbd-focus');
    if (!ele || ele.empty()) {
      this.focused = null;
      return;
    }
    this.focused = ele.id();
    ele.addClass('kbd-focus');
    if (ele.isNode()) this.edgeIndex = -1;
    // Keep it in sight.
    const p = ele.renderedBoundingBox();
    if (p.x1 < 0 || p.y1 < 0 || p.x2 > cy.width() || p.y2 > cy.height()) cy.center(ele);
    this.live.textContent = this.describe(ele);
  }

  describe(ele) {
    if (ele.isNode()) {
      const kind = ele.data('kind') === 'COLLAPSED' ? 'collapsed entities' : (ele.data('kind') || '').toLowerCase();
      return `${ele.data('name') || ele.data('label')}, ${kind}, ${ele.connectedEdges().filter((e) => !e.hasClass('time-hidden')).length} relationships drawn. Enter for details.`;
    }
    const s = ele.source();
    const t = ele.target();
    return `${ele.data('type')} from ${s.data('name')} to ${t.data('name')}. Enter for details.`;
  }

  // nearest finds the closest visible node in a direction: within a 45°
  // cone either side, by distance weighted against straying off the axis.
  nearest(from, [dx, dy]) {
    const p = from.position();
    let best = null;
    let bestScore = Infinity;
    this.graph.cy.nodes().forEach((n) => {
      if (n.same(from) || n.hasClass('time-hidden')) return;
      const q = n.position();
      const along = (q.x - p.x) * dx + (q.y - p.y) * dy;
      const across = Math.abs((q.x - p.x) * dy - (q.y - p.y) * dx);
      if (along <= 0 || across > along) return;
      const score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = n;
      }
    });
    return best;
  }

  key(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    let cur = this.current();
    if (!cur) {
      cur = this.start();
      if (!cur || cur.empty()) return;
    }
    const node = cur.isNode() ? cur : cur.source();
    if (ARROWS[e.key]) {
      const next = this.nearest(node, ARROWS[e.key]);
      if (next) this.focus(next);
      else this.focus(node);
    } else if (e.key === ']' || e.key === '[') {
      const edges = node.connectedEdges().filter((x) => !x.hasClass('time-hidden')).sort((a, b) => (a.id() < b.id() ? -1 : 1));
      if (edges.empty()) return;
      this.edgeIndex = (this.edgeIndex + (e.key === ']' ? 1 : edges.length - 1)) % edges.length;
      this.focus(edges[this.edgeIndex]);
      this.focusedFrom = node.id();
    } else if (e.key === 'Enter' || e.key === ' ') {
      this.o.open(cur);
    } else if (e.key === 'Escape') {
      if (cur.isEdge() && this.focusedFrom) this.focus(this.graph.cy.getElementById(this.focusedFrom));
      else this.o.act('close', null);
    } else {
      const action = {
        e: 'expand', E: 'expand', Delete: 'hide', Backspace: 'hide', o: 'hide-others', O: 'hide-others', c: 'collapse', C: 'collapse', p: 'pin', P: 'pin',
      }[e.key];
      if (!action || !cur.isNode()) return;
      this.o.act(action, cur.id());
    }
    e.preventDefault();
  }
}
