// The status line: progress, a summary, or the error that stopped a load.

import { h, fill } from './dom.js';

/** The status line over an element; an error stays until reset. */
export class Status {
  constructor(el) {
    this.el = el;
    this.failed = false;
  }

  reset() {
    this.failed = false;
    this.set('', 'idle');
  }

  busy(text) {
    if (!this.failed) this.set(text, 'busy');
  }

  info(text) {
    if (!this.failed) this.set(text, 'info');
  }

  error(what, err) {
    console.error(what, err);
    this.failed = true;
    this.set([h('strong', { class: 'code' }, err.code || 'ERROR'), ' ', err.message, h('span', { class: 'what' }, ` (${what})`)], 'error');
  }

  set(content, kind) {
    fill(this.el, content);
    this.el.dataset.kind = kind;
  }
}
