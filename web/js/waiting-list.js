// The calls waiting now, longest first: each one's position in its queue, the queue and the wait,
// counting up here every second from the server's `since` (and standing still while the screen
// is cut off from the server). A wait turns amber, then red, at the longest-wait thresholds. The
// caller is never shown: the server does not send one.

import { formatDuration } from './format.js';

export function createWaitingList(panel, title, list) {
  let calls = [];
  let thresholds = null;
  let t = (k) => k;
  /** The clock of the last tick: waits are filled in as soon as rows are drawn. */
  let secondsSince = () => 0;

  function render(dashboard, lang, translate) {
    t = translate;
    panel.hidden = !dashboard.waitingList;
    thresholds = dashboard.waitingList?.thresholds ?? null;
    redraw();
  }

  function update(next) {
    calls = next ?? [];
    redraw();
  }

  /** As many rows as the panel holds; the last says how many more wait when not all fit. */
  function redraw() {
    title.replaceChildren(t('panel.waiting'), Object.assign(document.createElement('span'), {
      className: 'waiting-count',
      textContent: String(calls.length),
    }));
    if (calls.length === 0) {
      list.replaceChildren(Object.assign(document.createElement('li'), { className: 'waiting-none', textContent: t('waiting.none') }));
      return;
    }
    draw(calls.length);
    const capacity = rowsThatFit();
    if (capacity < calls.length) draw(capacity);
  }

  function draw(capacity) {
    const shown = calls.length > capacity ? calls.slice(0, Math.max(0, capacity - 1)) : calls;
    const items = shown.map((call) => {
      const item = document.createElement('li');
      item.className = 'waiting-call';
      item.dataset.queue = call.queue;
      item.dataset.since = call.since;
      item.innerHTML = '<span class="waiting-position"></span><span class="waiting-queue"></span><span class="waiting-wait"></span>';
      item.querySelector('.waiting-position').textContent = t('waiting.position', { n: call.position });
      item.querySelector('.waiting-queue').textContent = call.name ?? call.queue;
      return item;
    });
    if (shown.length < calls.length) {
      items.push(Object.assign(document.createElement('li'), {
        className: 'waiting-more',
        textContent: t('waiting.more', { n: calls.length - shown.length }),
      }));
    }
    list.replaceChildren(...items);
    tick(secondsSince);
  }

  function rowsThatFit() {
    const height = list.clientHeight;
    const probe = list.querySelector('li');
    const row = probe ? probe.getBoundingClientRect().height : 0;
    if (height <= 0 || row <= 0) return calls.length;
    if (list.scrollHeight <= height + 1) return calls.length;
    const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
    return Math.max(1, Math.floor((height + gap) / (row + gap)));
  }

  /** Sets every wait as of `nowMs` (the server's clock, or the moment the connection was lost). */
  function tick(since) {
    secondsSince = since;
    for (const item of list.querySelectorAll('.waiting-call')) {
      const seconds = secondsSince(item.dataset.since);
      const wait = item.querySelector('.waiting-wait');
      wait.textContent = formatDuration(seconds);
      item.dataset.state = stateOf(seconds, thresholds);
    }
  }

  new ResizeObserver(() => redraw()).observe(list);

  return { render, update, tick };
}

/** amber / red as the seconds reach the bands (direction "above"), else none: a wait inside target stays plain. */
export function stateOf(value, bands) {
  if (!bands || value == null) return 'none';
  const reached = (limit) => limit != null && (bands.direction === 'below' ? value <= limit : value >= limit);
  return reached(bands.red) ? 'red' : reached(bands.amber) ? 'amber' : 'none';
}
