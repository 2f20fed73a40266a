// The live feed: the latest changes to the graph as they commit, over a
// WebSocket at /graphql (graphql-transport-ws). Turned on, it lists the
// latest changes already made, then subscribes from the newest of them;
// every change it receives moves its position on, and after a dropped
// connection it reconnects by itself and resumes from that position — the
// API sends what was committed meanwhile first — so nothing is missed and
// nothing is shown twice (a change at or below the position is dropped).

import { gql } from './api.js';
import { h, fill } from './dom.js';
import { CHANGE_FIELDS, when, recordLabel, revisionLine } from './history.js';

const LATEST = `query LatestChanges($first: Int) {
  changes(newestFirst: true, first: $first) { nodes { ${CHANGE_FIELDS} } }
}`;

const SUBSCRIBE = `subscription Live($since: Int) { changes(since: $since) { ${CHANGE_FIELDS} } }`;

/** The most changes the list keeps. */
export const KEEP = 15;

const OP_TEXT = { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted' };

/** The live feed: a toggle and a list of the latest changes. */
export class LiveFeed {
  /**
   * @param {HTMLElement} el      where the list goes
   * @param {HTMLButtonElement} button  the toggle (aria-pressed)
   * @param {object} o
   * @param {function(object): void} o.onChange   a change arrived (not one of those listed at the start)
   * @param {function(object): void} o.open       the user picked a change's record
   * @param {function(boolean): void} o.onToggle  the feed was turned on or off by the user
   * @param {function(string): string} o.name  an entity's name by id (the id when unknown)
   * @param {function(string, object): void} o.error  reports a failure
   */
  constructor(el, button, {
    onChange, open, onToggle, name, error,
  }) {
    this.el = el;
    this.button = button;
    this.onChange = onChange;
    this.openChange = open;
    this.onToggle = onToggle;
    this.name = name;
    this.error = error;
    this.on = false;
    this.position = null; // the last position seen
    this.changes = []; // newest first, at most KEEP
    this.ws = null;
    this.retry = 0;
    this.timer = null;
    this.connections = 0; // acknowledged connections, for the tests
    this.received = []; // every position the server sent, for the tests
    this.held = false; // a test holds the connection down
    this.state = 'off'; // off, connecting, live, reconnecting
    button.addEventListener('click', () => {
      if (this.on) this.stop();
      else this.start();
      this.onToggle(this.on);
    });
    this.render();
  }

  /** Starts following: the latest changes, then the live ones. */
  async start() {
    if (this.on) return;
    this.on = true;
    this.setState('connecting');
    if (this.position === null) {
      try {
        const { changes } = await gql(LATEST, { first: KEEP });
        this.changes = changes.nodes;
        this.position = changes.nodes.length ? changes.nodes[0].position : 0;
      } catch (err) {
        this.error('reading the latest changes', err);
        this.position = null;
        this.on = false;
        this.setState('off');
        return;
      }
      if (!this.on) return;
    }
    this.render();
    this.connect();
  }

  /** Stops following; the list stays, and a restart resumes from the last position. */
  stop() {
    this.on = false;
    clearTimeout(this.timer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'stopped');
    }
    this.setState('off');
  }

  /**
   * Closes the connection as a network failure would, for the tests: the
   * feed reconnects by itself, or, with hold, once reconnect is called.
   */
  drop({ hold = false } = {}) {
    this.held = hold;
    if (this.ws) this.ws.close(4000, 'dropped');
  }

  /** Reconnects now (after a held drop, or to skip the wait). */
  reconnect() {
    this.held = false;
    clearTimeout(this.timer);
    if (this.on && !this.ws) this.connect();
  }

  connect() {
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
    const ws = new WebSocket(url, 'graphql-transport-ws');
    this.ws = ws;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    ws.addEventListener('message', (e) => {
      if (ws !== this.ws) return;
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      switch (msg.type) {
        case 'connection_ack':
          this.connections += 1;
          this.retry = 0;
          this.setState('live');
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { since: this.position } } }));
          break;
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong' }));
          break;
        case 'next':
          if (msg.payload && msg.payload.data && msg.payload.data.changes) this.receive(msg.payload.data.changes);
          else if (msg.payload && msg.payload.errors) this.fail(msg.payload.errors);
          break;
        case 'error':
          this.fail(msg.payload);
          break;
        default:
      }
    });
    ws.addEventListener('close', () => {
      if (ws !== this.ws) return;
      this.ws = null;
      if (!this.on) return;
      // Back off: 0.5 s, 1 s, 2 s, … up to 15 s between attempts.
      const wait = Math.min(15000, 500 * 2 ** this.retry);
      this.retry += 1;
      this.setState('reconnecting');
      if (!this.held) this.timer = setTimeout(() => { if (this.on && !this.ws) this.connect(); }, wait);
    });
  }

  fail(errors) {
    const first = (Array.isArray(errors) ? errors[0] : errors) || {};
    this.error('following the live changes', { code: (first.extensions && first.extensions.code) || 'ERROR', message: first.message || 'the subscription failed' });
    // The server ends the subscription with its error; the socket stays
    // open. Closing it makes the feed try again after a pause.
    if (this.ws) this.ws.close(4001, 'subscription failed');
  }

  receive(c) {
    this.received.push(c.position);
    if (this.position !== null && c.position <= this.position) return;
    this.position = c.position;
    this.changes = [c, ...this.changes].slice(0, KEEP);
    this.render();
    this.onChange(c);
  }

  setState(state) {
    this.state = state;
    this.button.setAttribute('aria-pressed', String(this.on));
    this.button.dataset.state = state;
    this.button.title = {
      off: 'Follow the changes to the graph as they are made',
      connecting: 'Connecting to the live feed…',
      live: 'Following the live changes (click to stop)',
      reconnecting: 'The connection dropped: reconnecting…',
    }[state];
    this.render();
  }

  render() {
    this.el.hidden = !this.on && this.changes.length === 0;
    const status = {
      off: 'Stopped.', connecting: 'Connecting…', live: 'Live: changes appear as they are made.', reconnecting: 'Connection lost; reconnecting…',
    }[this.state];
    fill(this.el,
      h('h2', {}, 'Live changes'),
      h('p', { class: 'hint live-state', 'data-state': this.state }, status),
      this.changes.length ? h('ol', { class: 'live-list', 'aria-label': 'Latest changes, newest first' }, this.changes.map((c) => this.item(c)))
        : h('p', { class: 'hint' }, 'No change yet.'));
  }

  item(c) {
    const rev = c.revision;
    return h('li', { class: `live-change op-${c.operation}`, 'data-position': c.position, 'data-record': c.recordId },
      h('button', {
        type: 'button', class: 'entity-link', title: `Show ${c.recordId} in the network`, onclick: () => this.openChange(c),
      }, recordLabel(c, this.name)),
      ' ', h('span', { class: 'op' }, OP_TEXT[c.operation] || c.operation),
      c.changedFields.length && c.operation === 'UPDATE' ? h('span', { class: 'fields' }, ` (${c.changedFields.join(', ')})`) : null,
      h('div', { class: 'live-meta' }, when(rev.time), ' by ', h('strong', { class: 'actor' }, rev.actor), ' · ', revisionLine(rev)));
  }
}
