// Search boxes: search as the user types (debounced, the latest answer
// wins), pick with the mouse or the keyboard. A box never keeps the name
// of what was opened, and focusing it selects its text, so typing starts a
// new search rather than appending to the old one.

import { gql, SEARCH } from './api.js';
import { h, fill } from './dom.js';
import { japaneseName } from './graph.js';
import { kindTag } from './panel.js';

/**
 * Turns an input and a list into a search box: it searches as the user types
 * and calls onPick(entity) with the result chosen; onError(what, err)
 * reports a failed search.
 */
export function picker(input, list, { onPick, onError, wait = 150 }) {
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
      if (mine === seq) onError('searching', err);
    }
  }

  input.addEventListener('focus', () => input.select());
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, wait);
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
