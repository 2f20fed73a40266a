// The explorer's colours, in a light and a dark theme, and the contrast
// rules they must meet (WCAG 2.1 AA): 4.5:1 for text, 3:1 for large text and
// for the graphics that carry meaning (nodes, edges, the path, the focus
// ring). The page's CSS custom properties hold the same values; the browser
// test checks every pair below and the text of the page itself.

/** The two themes. Node colours double as the kind tags' backgrounds. */
export const THEMES = {
  light: {
    bg: '#ffffff',
    page: '#f4f6f8',
    ink: '#17202a',
    muted: '#5b6670',
    edge: '#6b7682',
    edgeText: '#3d4852',
    path: '#a86b00',
    focus: '#1f5fa0',
    appeared: '#1e7b34',
    ended: '#b3261e',
    tagText: '#ffffff',
    kinds: {
      LOCALITY: '#2f6fb0', OFFICIAL: '#8a4fbf', ORGANIZATION: '#24744a', AGREEMENT: '#b35900', EVENT: '#c23b3b',
    },
    categories: ['#2f6fb0', '#b35900', '#24744a', '#a23b72', '#6b4fbb', '#7a6a00', '#0f7c80', '#c23b3b'],
    other: '#6b7682',
  },
  dark: {
    bg: '#14191f',
    page: '#0e1217',
    ink: '#e6ebf0',
    muted: '#a3adb8',
    edge: '#8a96a3',
    edgeText: '#c9d1d9',
    path: '#ffc940',
    focus: '#7fb2e5',
    appeared: '#6fdc8c',
    ended: '#ff8a80',
    tagText: '#111111',
    kinds: {
      LOCALITY: '#6ea8e6', OFFICIAL: '#b99ae6', ORGANIZATION: '#5cc28a', AGREEMENT: '#f0a050', EVENT: '#f08080',
    },
    categories: ['#6ea8e6', '#f0a050', '#5cc28a', '#e58fc0', '#b99ae6', '#d6c450', '#4fc9cf', '#f08080'],
    other: '#8a96a3',
  },
};

/** The theme the system asks for. */
export function themeName() {
  return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

// channels reads #rrggbb or rgb()/rgba() into [r, g, b, a].
export function channels(color) {
  const s = String(color).trim();
  if (s.startsWith('#')) {
    const n = Number.parseInt(s.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const m = s.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}

function luminance(color) {
  const [r, g, b] = channels(color);
  const lin = (v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The WCAG contrast ratio of two opaque colours, 1 to 21. */
export function contrast(a, b) {
  const x = luminance(a);
  const y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Every pair of a theme that must contrast, with the ratio it needs and why. */
export function pairs(theme) {
  const t = THEMES[theme];
  const list = [
    ['ink', t.ink, t.bg, 4.5, 'text'],
    ['ink on page', t.ink, t.page, 4.5, 'text'],
    ['muted', t.muted, t.bg, 4.5, 'text'],
    ['muted on page', t.muted, t.page, 4.5, 'text'],
    ['edge', t.edge, t.bg, 3, 'graphics'],
    ['edge label', t.edgeText, t.bg, 4.5, 'text'],
    ['path', t.path, t.bg, 3, 'graphics'],
    ['focus ring', t.focus, t.bg, 3, 'graphics'],
    ['focus ring on page', t.focus, t.page, 3, 'graphics'],
    ['appeared', t.appeared, t.bg, 3, 'graphics'],
    ['ended', t.ended, t.bg, 3, 'graphics'],
    ['other', t.other, t.bg, 3, 'graphics'],
  ];
  for (const [kind, c] of Object.entries(t.kinds)) {
    list.push([`${kind} node`, c, t.bg, 3, 'graphics'], [`${kind} tag`, t.tagText, c, 4.5, 'text']);
  }
  t.categories.forEach((c, i) => list.push([`category ${i + 1}`, c, t.bg, 3, 'graphics']));
  return list.map(([name, fg, bg, need, what]) => ({
    name, fg, bg, need, what, ratio: Math.round(contrast(fg, bg) * 100) / 100,
  }));
}

/** The pairs of both themes that fall short: [] when the palette passes. */
export function failures() {
  return Object.keys(THEMES).flatMap((theme) => pairs(theme)
    .filter((p) => p.ratio < p.need).map((p) => ({ theme, ...p })));
}
