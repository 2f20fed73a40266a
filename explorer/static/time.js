// Time: which entities and relationships the view shows on a day, and the
// slider that picks the day.
//
// The network is loaded for every date, and the day is applied here, so
// that moving the slider or playing through the dates redraws at once and
// what appears and ends between two days can be shown side by side. A
// relationship is shown on a day within its validity; an entity within its
// own dates (a locality between validFrom and validTo, an organisation
// between founded and dissolved, an agreement between its date and end
// date, an event from its start on) and only if it is still reached, over
// relationships shown that day, within the hops that brought it in: as the
// API's asOf would, over what is loaded. A date known only to the year or
// month counts from its earliest to its latest day, as the API does.

import { h } from './dom.js';

/** The interval an entity or relationship holds: {from, to}, each a day or null. */
export function interval(from, to) {
  return { from: (from && from.earliest) || null, to: (to && to.latest) || null };
}

/** Whether an interval holds on day (YYYY-MM-DD); null day: any time. */
export function holds(iv, day) {
  if (!day) return true;
  return (!iv.from || day >= iv.from) && (!iv.to || day <= iv.to);
}

/**
 * What a relationship's dates say about a day, as the API's status(on:)
 * (see the TimeStatus enum): OUTSIDE when its validity dates rule the day
 * out; HOLDS when they confirm it (the day lies certainly between them), or,
 * when it has none, when a source reports it on that day (at the report's
 * precision); UNKNOWN otherwise (no dates at all, reports on other days
 * only, or a bound known only to the year or month that may fall on either
 * side of the day). Null without a day.
 *
 * @param {{from: ?string, to: ?string, sureFrom: ?string, sureTo: ?string,
 *   reports: ?{earliest: string, latest: string}[]}} rel  from/to: the earliest and
 *   latest days the validity may reach; sureFrom/sureTo: the days it certainly reaches
 * @param {?string} day
 */
export function statusOn(rel, day) {
  if (!day) return null;
  if (!holds(rel, day)) return 'OUTSIDE';
  if (rel.from || rel.to) {
    return (!rel.from || day >= rel.sureFrom) && (!rel.to || day <= rel.sureTo) ? 'HOLDS' : 'UNKNOWN';
  }
  return (rel.reports || []).some((r) => day >= r.earliest && day <= r.latest) ? 'HOLDS' : 'UNKNOWN';
}

/**
 * What the view shows on a day.
 *
 * @param {{id: string, from: ?string, to: ?string}[]} nodes
 * @param {{id: string, source: string, target: string, from: ?string, to: ?string}[]} edges
 * @param {{id: string, depth: number}[]} anchors  where the view grows from, and how far
 * @param {Set<string>} forced  elements shown whatever the day (the path, found for that day)
 * @param {?string} day
 * @returns {{shown: Set<string>, defunct: Set<string>}} the ids shown, and the anchors
 *   shown although they do not exist that day
 */
export function shownOn(nodes, edges, anchors, forced, day) {
  const shown = new Set();
  const defunct = new Set();
  if (!day) {
    for (const n of nodes) shown.add(n.id);
    for (const e of edges) shown.add(e.id);
    return { shown, defunct };
  }
  const exists = new Map(nodes.map((n) => [n.id, holds(n, day)]));
  const adjacent = new Map();
  for (const e of edges) {
    if (!holds(e, day)) continue;
    for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
      if (!adjacent.has(a)) adjacent.set(a, []);
      adjacent.get(a).push([b, e.id]);
    }
  }
  // Breadth first from each anchor, as far as it reaches; an entity that
  // does not exist that day is not passed through (an anchor is: it is
  // what the view is about, drawn as no longer existing).
  for (const { id, depth } of anchors) {
    if (!exists.has(id)) continue;
    shown.add(id);
    if (!exists.get(id)) defunct.add(id);
    let frontier = [id];
    const seen = new Set(frontier);
    for (let hop = 0; hop < depth && frontier.length; hop += 1) {
      const next = [];
      for (const u of frontier) {
        for (const [v, rel] of adjacent.get(u) || []) {
          if (!exists.get(v)) continue;
          shown.add(rel);
          if (seen.has(v)) continue;
          seen.add(v);
          shown.add(v);
          next.push(v);
        }
      }
      frontier = next;
    }
  }
  for (const id of forced) shown.add(id);
  // A relationship between two entities shown that day is shown too.
  for (const e of edges) {
    if (holds(e, day) && shown.has(e.source) && shown.has(e.target)) shown.add(e.id);
  }
  return { shown, defunct };
}

/** The days on which something in the view begins or ends, sorted. */
export function changeDays(items) {
  const days = new Set();
  for (const it of items) {
    if (it.from) days.add(it.from);
    if (it.to) days.add(nextDay(it.to)); // it has ended the day after its last
  }
  return [...days].sort();
}

/** The day after a YYYY-MM-DD day. */
export function nextDay(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const MS_PER_DAY = 86400000;
const dayNumber = (day) => Math.round(Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY);
const dayText = (n) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);

/** Whether text is a plausible day to filter by: YYYY-MM-DD with a four-digit year from 1000. */
export function plausibleDay(text) {
  return /^[1-9]\d{3}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/**
 * The time bar: a slider over the view's dates, a date field, playback
 * through the days on which something changes, and a "changes since" day.
 * Moving the slider calls onPreview(day) at once (a redraw, no request)
 * and onChange(day) once it has rested for `wait` ms; typing a date calls
 * onChange only for a whole, plausible day, after the same rest, so that
 * typing 2025 does not ask for the years 0002, 0020 and 0202 first.
 */
export class Timeline {
  constructor(root, { onPreview, onChange, onSince, wait = 350 }) {
    this.onPreview = onPreview;
    this.onChange = onChange;
    this.onSince = onSince;
    this.wait = wait;
    this.days = [];
    this.timer = 0;
    this.playing = 0;
    this.slider = h('input', {
      type: 'range', id: 'time-slider', min: 0, max: 0, step: 1, value: 0, disabled: true, 'aria-label': 'Day shown',
    });
    this.date = h('input', { type: 'date', id: 'as-of', 'aria-label': 'As of' });
    this.play = h('button', { type: 'button', id: 'time-play', title: 'Play through the days on which something changes' }, 'Play');
    this.any = h('button', { type: 'button', id: 'as-of-clear', class: 'link', title: 'Show every date' }, 'any date');
    this.since = h('input', { type: 'date', id: 'since', 'aria-label': 'Highlight changes since' });
    this.ticks = h('datalist', { id: 'time-ticks' });
    this.slider.setAttribute('list', 'time-ticks');
    root.replaceChildren(
      h('label', { for: 'as-of', class: 'time-label' }, 'As of'), this.date, this.any,
      this.play, this.slider, this.ticks,
      h('label', { for: 'since', class: 'time-label', title: 'Entities and relationships that appeared or ended between this day and the day shown are highlighted' }, 'changes since'),
      this.since,
    );
    this.slider.addEventListener('input', () => {
      const day = dayText(Number(this.slider.value));
      this.date.value = day;
      this.onPreview(day);
      this.later(() => this.onChange(day));
    });
    this.date.addEventListener('input', () => {
      const day = this.date.value;
      clearTimeout(this.timer);
      if (!plausibleDay(day)) return;
      this.later(() => {
        this.setSlider(day);
        this.onPreview(day);
        this.onChange(day);
      });
    });
    this.any.addEventListener('click', () => {
      this.stop();
      clearTimeout(this.timer);
      this.onChange(null);
    });
    this.since.addEventListener('change', () => {
      const day = this.since.value;
      if (!day || plausibleDay(day)) this.onSince(day || null);
    });
    this.play.addEventListener('click', () => (this.playing ? this.stop() : this.start()));
  }

  later(fn) {
    clearTimeout(this.timer);
    this.timer = setTimeout(fn, this.wait);
  }

  /** Sets the range from the view's change days, and shows the day (null: any). */
  set(days, day, since) {
    this.days = days;
    const first = days[0];
    const last = days[days.length - 1];
    if (first) {
      const lo = dayNumber(first) - 31;
      const hi = Math.max(dayNumber(last) + 31, day && plausibleDay(day) ? dayNumber(day) : 0);
      this.slider.min = String(Math.min(lo, day && plausibleDay(day) ? dayNumber(day) : lo));
      this.slider.max = String(hi);
      this.slider.disabled = false;
      this.ticks.replaceChildren(...days.map((d) => h('option', { value: dayNumber(d), label: d })));
    } else {
      this.slider.disabled = true;
    }
    this.play.disabled = days.length === 0;
    if (document.activeElement !== this.date) this.date.value = day && plausibleDay(day) ? day : '';
    this.setSlider(day);
    this.slider.classList.toggle('any', !day);
    this.since.value = since || '';
    this.since.disabled = !day;
  }

  setSlider(day) {
    if (day && plausibleDay(day)) this.slider.value = String(dayNumber(day));
    else this.slider.value = this.slider.max;
  }

  /** Plays through the change days from the one after the day shown, a step each interval ms. */
  start(interval = 900) {
    if (!this.days.length) return;
    const current = this.date.value || '';
    let i = this.days.findIndex((d) => d > current);
    if (i < 0) i = 0;
    this.play.textContent = 'Pause';
    this.play.setAttribute('aria-pressed', 'true');
    const step = () => {
      if (i >= this.days.length) {
        this.stop();
        return;
      }
      const day = this.days[i];
      const previous = this.date.value || null;
      i += 1;
      this.setSlider(day);
      this.date.value = day;
      this.onChange(day, { since: previous, playing: true });
    };
    step();
    this.playing = setInterval(step, interval);
  }

  stop() {
    if (!this.playing) return;
    clearInterval(this.playing);
    this.playing = 0;
    this.play.textContent = 'Play';
    this.play.setAttribute('aria-pressed', 'false');
  }
}
