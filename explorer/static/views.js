// Named views kept in the browser (localStorage), and a file of them that
// another analyst can import. A view is its URL's query string: the
// entity, filters, day, expansions, hidden and pinned nodes, positions,
// zoom and selection.

import { h, fill } from './dom.js';

const KEY = 'vjkg.views';
const FILE_TYPE = 'vjkg-views';

/** Reads a views file's text: [{name, query, saved}], or throws saying why not. */
export function parseViews(text) {
  const data = JSON.parse(text);
  if (!data || data.type !== FILE_TYPE || !Array.isArray(data.views)) {
    throw new Error(`not a file of saved views (want "type": "${FILE_TYPE}")`);
  }
  return data.views.filter((v) => v && typeof v.name === 'string' && typeof v.query === 'string' && v.query.startsWith('?'))
    .map((v) => ({ name: v.name.slice(0, 200), query: v.query, saved: String(v.saved || '') }));
}

/** The saved views, and the controls that list, save, open, remove, export and import them. */
export class SavedViews {
  /**
   * @param {HTMLElement} root    where the controls go
   * @param {object} o
   * @param {function(): string} o.current   the query string of the view on screen
   * @param {function(string): void} o.open  opens a query string
   * @param {function(string): void} o.info  tells the analyst what happened
   * @param {function(string): void} o.download  saves the views file (name, text)
   */
  constructor(root, o) {
    this.o = o;
    this.name = h('input', {
      type: 'text', id: 'view-name', placeholder: 'Name this view', 'aria-label': 'Name of the view to save', maxlength: 200,
    });
    this.list = h('ul', { id: 'saved-views', class: 'saved-views' });
    this.file = h('input', {
      type: 'file', id: 'views-file', accept: '.json,application/json', class: 'visually-hidden', 'aria-label': 'Import views from a file',
    });
    fill(root,
      h('div', { class: 'row' }, this.name, h('button', { type: 'button', id: 'view-save', onclick: () => this.save() }, 'Save')),
      this.list,
      h('div', { class: 'row' },
        h('button', { type: 'button', id: 'views-export', class: 'link', onclick: () => this.exportFile() }, 'export to a file'),
        h('button', { type: 'button', id: 'views-import', class: 'link', onclick: () => this.file.click() }, 'import a file'),
        this.file));
    this.name.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.save();
    });
    this.file.addEventListener('change', () => this.importFile());
    this.render();
  }

  /** The views saved in this browser. */
  all() {
    try {
      return parseViews(localStorage.getItem(KEY) || `{"type":"${FILE_TYPE}","views":[]}`);
    } catch {
      return [];
    }
  }

  store(views) {
    localStorage.setItem(KEY, JSON.stringify({ type: FILE_TYPE, version: 1, views }));
    this.render();
  }

  save() {
    const query = this.o.current();
    if (!query) {
      this.o.info('Open an entity before saving a view.');
      return;
    }
    const name = this.name.value.trim() || `View ${this.all().length + 1}`;
    const views = this.all().filter((v) => v.name !== name);
    views.push({ name, query, saved: new Date().toISOString() });
    this.store(views);
    this.name.value = '';
    this.o.info(`Saved the view “${name}”.`);
  }

  render() {
    const views = this.all();
    fill(this.list, views.length === 0 ? h('li', { class: 'hint' }, 'No saved views yet.') : views.map((v) => h('li', {},
      h('button', {
        type: 'button', class: 'link view-open', 'data-name': v.name, title: v.query, onclick: () => this.o.open(v.query),
      }, v.name),
      h('button', {
        type: 'button', class: 'link view-remove', 'aria-label': `Remove the view ${v.name}`, onclick: () => this.store(this.all().filter((x) => x.name !== v.name)),
      }, '×'))));
  }

  exportFile() {
    const text = JSON.stringify({ type: FILE_TYPE, version: 1, views: this.all() }, null, 1);
    this.o.download(`vjkg-views-${this.all().length}.json`, text);
  }

  async importFile() {
    const f = this.file.files[0];
    if (!f) return;
    try {
      const incoming = parseViews(await f.text());
      const names = new Set(incoming.map((v) => v.name));
      this.store([...this.all().filter((v) => !names.has(v.name)), ...incoming]);
      this.o.info(`Imported ${incoming.length} view${incoming.length === 1 ? '' : 's'} from ${f.name}.`);
    } catch (err) {
      this.o.info(`Could not import ${f.name}: ${err.message}`);
    }
    this.file.value = '';
  }
}
