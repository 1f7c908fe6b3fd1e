// KPI tiles: one big number each. Hierarchy: a layout gives the few figures that matter most now
// `size: "large"` (two rows, two columns), then "medium" (two rows) and "small". Calm: a tile
// inside its target is neutral; amber says a threshold is near, red that it is crossed. The arrow
// compares with fifteen minutes ago (the server keeps that history); a bar shows the target.

import { formatValue } from './format.js';
import { localText } from './i18n.js';

const TREND_GLYPH = { up: '▲', down: '▼', flat: '' };
/** Cells a tile takes in the two-row grid. */
const AREA = { small: 1, medium: 2, large: 4 };

/** Creates the tile strip inside `root`. */
export function createTiles(root) {
  /** id → { el, def } of the current layout. */
  let tiles = new Map();
  /** id → last TileValue, kept across layout changes so a re-render does not blank the numbers. */
  const values = new Map();
  let context = { lang: 'en', t: (k) => k };

  function render(dashboard, lang, t) {
    context = { lang, t };
    tiles = new Map();
    const defs = dashboard.tiles ?? [];
    root.hidden = defs.length === 0;
    root.replaceChildren(...defs.map((def) => {
      const el = buildTile(def, lang, t);
      tiles.set(def.id, { el, def });
      return el;
    }));
    // Two rows once a tile is taller than one or there are more than fit across a room-readable strip.
    const area = defs.reduce((sum, def) => sum + (AREA[def.size] ?? 1), 0);
    const tall = defs.some((def) => def.size === 'medium' || def.size === 'large');
    const rows = tall || defs.length > 6 ? 2 : 1;
    root.style.setProperty('--tile-cols', String(Math.max(1, Math.ceil(area / rows))));
    // An odd number of cells in two rows would leave a hole: the first small tile takes both rows
    // (the first, so that the tiles after it still pair up in the columns that follow).
    const firstSmall = [...tiles.values()].find(({ def }) => (def.size ?? 'small') === 'small');
    if (rows === 2 && area % 2 === 1 && firstSmall) firstSmall.el.dataset.size = 'medium';
    root.style.setProperty('--tile-rows', String(rows));
    for (const value of values.values()) apply(value);
  }

  function update(tileValues) {
    for (const value of tileValues ?? []) {
      values.set(value.id, value);
      apply(value);
    }
  }

  function replaceAll(tileValues) {
    values.clear();
    update(tileValues);
  }

  function apply(value) {
    const tile = tiles.get(value.id);
    if (!tile) return;
    const { el, def } = tile;
    el.dataset.state = value.state ?? 'none';
    el.dataset.trend = value.trend ?? 'flat';
    const text = value.display ?? formatValue(value.value, def.format, context.lang);
    const valueEl = el.querySelector('.tile-figure');
    valueEl.textContent = text;
    // The CSS shrinks long figures ("12,345", "1:02:03") so they stay whole in the tile.
    valueEl.style.setProperty('--chars', String(Math.max(3, widthInDigits(text))));
    const trend = el.querySelector('.tile-trend');
    trend.textContent = TREND_GLYPH[value.trend] ?? '';
    trend.title = context.t(`trend.${value.trend ?? 'flat'}`);
    showTarget(el, def, value, context);
  }

  /** Flashes a tile that has just crossed into red, for as long as the CSS animation runs. */
  function flash(tileId) {
    const el = tiles.get(tileId)?.el;
    if (!el) return;
    // Restart the animation when alerts come back to back.
    el.classList.remove('flash');
    void el.offsetWidth;
    el.classList.add('flash');
  }

  root.addEventListener('animationend', (event) => event.target.classList?.remove('flash'));

  return { render, update, replaceAll, flash };
}

/** A figure's width in digit widths: a percent sign is wider than a digit, separators narrower. */
function widthInDigits(text) {
  let width = 0;
  for (const char of text) width += char === '%' ? 1.55 : ':,. '.includes(char) ? 0.55 : 1;
  return width;
}

function buildTile(def, lang, t) {
  const el = document.createElement('article');
  el.className = 'tile';
  el.dataset.tile = def.id;
  el.dataset.state = 'none';
  el.dataset.size = def.size ?? 'small';
  el.dataset.format = def.format ?? 'number';
  // Whether "up" is good decides the arrow's colour: a rising service level is good news, rising
  // calls waiting is not; without thresholds the page does not judge.
  if (def.thresholds) el.dataset.higherIsBetter = String(def.thresholds.direction === 'below');
  el.innerHTML = `
    <h3 class="tile-title"><span class="tile-name"></span><span class="tile-window"></span></h3>
    <div class="tile-value"><span class="tile-figure">–</span></div>
    <div class="tile-foot">
      <span class="tile-trend"></span>
      <div class="tile-target" hidden>
        <div class="target-bar"><div class="target-fill"></div><div class="target-mark"></div></div>
        <span class="target-text"></span>
      </div>
    </div>`;
  // A layout may name a tile; without a title it is the KPI's name in the glossary.
  el.querySelector('.tile-name').textContent = localText(def.title, lang) || t.kpi(def.kpi);
  el.querySelector('.tile-window').textContent = def.window ? t(`window.${def.window}`) : '';
  return el;
}

/** Fills the target bar: percentages on a 0–100 % scale, other figures on a scale a quarter above the larger of value and target. */
function showTarget(el, def, value, { lang, t }) {
  const target = value.target ?? def.target ?? null;
  const box = el.querySelector('.tile-target');
  box.hidden = target == null;
  if (target == null) return;
  const current = value.value ?? 0;
  const scale = def.format === 'percent' ? 1 : Math.max(target, current, Number.EPSILON) * 1.25;
  const percentOfScale = (x) => `${Math.min(100, Math.max(0, (x / scale) * 100))}%`;
  box.style.setProperty('--fill', percentOfScale(current));
  box.style.setProperty('--mark', percentOfScale(target));
  box.querySelector('.target-text').textContent = t('tile.target', { value: formatValue(target, def.format, lang) });
}
