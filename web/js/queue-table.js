// The queue table: one row per queue of the dashboard, one column per KPI of `queueTable.kpis`,
// each cell coloured by its own thresholds (the layout's, else the product's defaults: the server
// sends the state). Calm, as the tiles: a cell inside its band is plain; amber and red stand out.

import { formatOfKpi, formatValue } from './format.js';

export function createQueueTable(root, panel) {
  /** queue → last QueueRow. */
  const rows = new Map();
  let layout = { kpis: [], order: [] };
  let context = { lang: 'en', t: (k) => k };
  let body = null;

  function render(dashboard, lang, t) {
    context = { lang, t };
    layout = { kpis: dashboard.queueTable?.kpis ?? [], order: dashboard.queues ?? [] };
    panel.hidden = !dashboard.queueTable;
    const table = document.createElement('table');
    table.className = 'queue-table';
    const head = table.createTHead().insertRow();
    addCell(head, 'th', t('queue.name'));
    for (const kpi of layout.kpis) addCell(head, 'th', t.column(kpi)).dataset.kpi = kpi;
    body = table.createTBody();
    root.replaceChildren(table);
    redraw();
  }

  /**
   * The largest text (from 3vh down to the board's smallest, 1.8vh) at which every column fits
   * the panel's width: headings differ in length from one language to another, so this is
   * measured, not guessed.
   */
  function fit() {
    const table = root.firstElementChild;
    if (!table || root.clientWidth === 0) return;
    let low = 1.8;
    let high = 3;
    table.style.fontSize = `${high}vh`;
    if (table.scrollWidth <= root.clientWidth) return;
    for (let i = 0; i < 8; i++) {
      const mid = (low + high) / 2;
      table.style.fontSize = `${mid}vh`;
      if (table.scrollWidth <= root.clientWidth) low = mid;
      else high = mid;
    }
    table.style.fontSize = `${low}vh`;
  }

  new ResizeObserver(fit).observe(root);

  function update(queueRows) {
    // Only the board's queues: a row of another board must never linger (docs/live-protocol.md).
    for (const row of queueRows ?? []) if (layout.order.includes(row.queue)) rows.set(row.queue, row);
    redraw();
  }

  function replaceAll(queueRows) {
    rows.clear();
    update(queueRows);
  }

  /** Rebuilds the body: a handful of queues, so a rebuild per push is cheaper than diffing. */
  function redraw() {
    if (!body) return;
    body.replaceChildren(...layout.order.map(buildRow));
    // A longer figure ("1:02:03") can widen a column.
    fit();
  }

  function buildRow(queue) {
    const row = rows.get(queue);
    const tr = document.createElement('tr');
    tr.dataset.queue = queue;
    // The directory's display name (docs/directory.md); the id until the first row arrives.
    addCell(tr, 'th', row?.name ?? queue).scope = 'row';
    for (const kpi of layout.kpis) {
      const value = row?.values?.[kpi] ?? null;
      const td = addCell(tr, 'td', formatValue(value, formatOfKpi(kpi), context.lang));
      td.dataset.kpi = kpi;
      td.dataset.state = row?.states?.[kpi] ?? 'none';
    }
    return tr;
  }

  return { render, update, replaceAll };
}

function addCell(row, tag, text) {
  const cell = document.createElement(tag);
  cell.textContent = text;
  row.append(cell);
  return cell;
}
