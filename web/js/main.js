// The floor page: reads its settings from the address, connects, and routes what the hub sends
// to the parts of the board. Parameters: ?dashboard=inbound-floor&lang=zh-CN|en&key=…
// A dashboard that is a rotation (docs/live-protocol.md) shows its pages in turn on a timer.

import { createAgentBoard } from './agent-board.js';
import { createServerClock } from './clock.js';
import { connectToWallboard } from './connection.js';
import { formatClock } from './format.js';
import { agoText, localText, matchLanguage, translator } from './i18n.js';
import { createNextHours } from './next-hours.js';
import { createQueueTable } from './queue-table.js';
import { createTicker } from './ticker.js';
import { createTiles } from './tiles.js';
import { createWaitingList } from './waiting-list.js';

const DEFAULT_DASHBOARD = 'inbound-floor';

function readSettings(location) {
  const params = new URLSearchParams(location.search);
  return {
    dashboardId: params.get('dashboard') || DEFAULT_DASHBOARD,
    // An explicit ?lang= wins over the dashboard file's language.
    lang: matchLanguage(params.get('lang')),
    key: params.get('key'),
  };
}

function start() {
  const settings = readSettings(window.location);
  const byId = (id) => document.getElementById(id);
  const clock = createServerClock();
  const tiles = createTiles(byId('tiles'));
  const queues = createQueueTable(byId('queue-table'), byId('queues-panel'));
  const waiting = createWaitingList(byId('waiting-panel'), byId('waiting-title'), byId('waiting-list'));
  const agents = createAgentBoard(byId('agents-panel'), byId('agents-header'), byId('agent-board'), clock);
  const ticker = createTicker(byId('ticker'), byId('ticker-text'), clock);
  const nextHours = createNextHours(byId('next-hours'), byId('next-hours-title'), byId('next-hours-cells'));

  let lang = settings.lang ?? matchLanguage(navigator.language) ?? 'en';
  let t = translator(lang);
  let status = 'connecting';
  let detail = null;
  /** The server-clock instant the board last was live; figures are as of then while it is not. */
  let liveAt = null;
  /** The rotation being shown: its id, pages, seconds per page, the page on screen and since when. */
  let rotation = null;
  let connection = null;

  function setLanguage(next) {
    lang = next;
    t = translator(lang);
    // The lang attribute picks the CJK glyph variants (Simplified, not Japanese) in the font stack.
    document.documentElement.lang = lang;
  }

  /** The clock the board's timers read: the server's while live; frozen at the last live moment otherwise. */
  const boardNow = () => (status === 'live' || liveAt == null ? clock.now() : liveAt);
  const secondsSince = (iso) => {
    const at = Date.parse(iso);
    return Number.isNaN(at) ? 0 : Math.max(0, (boardNow() - at) / 1000);
  };

  function showStatus(next, why) {
    if (status === 'live' && next !== 'live') liveAt = clock.now();
    status = next;
    detail = why ?? null;
    document.body.dataset.connection = next;
    const el = byId('connection');
    el.dataset.state = next;
    el.textContent = t(`connection.${next === 'error' ? 'offline' : next}`);
    drawBanner();
  }

  /** The stale banner: why the figures cannot be trusted, and since when they are as they are. */
  function drawBanner() {
    const title = byId('stale-title');
    const since = byId('stale-since');
    if (status === 'error') {
      title.textContent = t('stale.unknownDashboard', { id: settings.dashboardId, detail: detail ?? '' });
      since.textContent = '';
    } else if (status === 'unauthorized') {
      title.textContent = t('stale.unauthorized');
      since.textContent = '';
    } else {
      title.textContent = t('stale.banner');
      since.textContent = liveAt == null
        ? t('stale.never')
        : t('stale.since', { time: formatClock(new Date(liveAt), lang), ago: agoText((clock.now() - liveAt) / 1000, t) });
    }
  }

  function renderLayout(dashboard) {
    setLanguage(settings.lang ?? matchLanguage(dashboard.language) ?? lang);
    const name = localText(dashboard.name, lang);
    byId('board-name').textContent = name;
    document.title = name;
    byId('queues-title').textContent = t('panel.queues');
    byId('agents-title').textContent = t('panel.agents');
    tiles.render(dashboard, lang, t);
    queues.render(dashboard, lang, t);
    waiting.render(dashboard, lang, t);
    agents.render(dashboard, lang, t);
    nextHours.render(dashboard, lang, t);
    // The queue side takes the width its columns need at the smallest text (about 4.4 em a column),
    // from 40 % for eight columns to 62 %; a board without one side gives it all to the other (CSS).
    const columns = (dashboard.queueTable?.kpis?.length ?? 0) + 1;
    document.body.style.setProperty('--side', String(Math.min(0.62, Math.max(0.4, 0.4 + (columns - 8) * 0.04))));
    drawRotation();
    showStatus(status, detail);
  }

  function drawRotation() {
    const dots = byId('rotation');
    dots.hidden = rotation == null;
    if (!rotation) return;
    dots.replaceChildren(...rotation.pages.map((id, i) => Object.assign(document.createElement('span'), {
      className: 'rotation-dot',
      ariaCurrent: i === rotation.index ? 'page' : null,
      title: id,
    })));
  }

  function onState(state) {
    clock.sync(state.serverTime);
    liveAt = clock.now();
    showClock();
    if (state.dashboard.rotation) {
      startRotation(state.dashboard);
      return;
    }
    renderLayout(state.dashboard);
    tiles.replaceAll(state.tiles);
    queues.replaceAll(state.queues);
    waiting.update(state.waiting);
    agents.replaceAll(state.agents);
    nextHours.update(state.nextHours);
    ticker.show(state.broadcast);
  }

  /** A rotation's state: keep its pages and show the first; at the end of a round it is read again, so an edit takes effect. */
  function startRotation(dashboard) {
    rotation = { id: dashboard.id, pages: dashboard.rotation.pages, seconds: dashboard.rotation.seconds, index: 0, shownAt: Date.now() };
    connection.switchTo(rotation.pages[0]);
  }

  function nextPage() {
    rotation.shownAt = Date.now();
    rotation.index++;
    connection.switchTo(rotation.index < rotation.pages.length ? rotation.pages[rotation.index] : rotation.id);
  }

  setLanguage(lang);
  showStatus('connecting');

  connection = connectToWallboard({
    url: new URL('hubs/wallboard', document.baseURI).href,
    dashboardId: settings.dashboardId,
    key: settings.key,
    onState,
    onStatus: showStatus,
    // A page of a rotation that cannot be shown (removed, misspelt) is skipped, not shown as an error.
    onJoinRefused: (id) => {
      if (!rotation || id === rotation.id) return false;
      nextPage();
      return true;
    },
    handlers: {
      tiles: tiles.update,
      queues: queues.update,
      agents: agents.upsert,
      agentsRemoved: agents.remove,
      broadcast: ticker.show,
      alert: (alert) => tiles.flash(alert.tileId),
      nextHours: nextHours.update,
      waiting: waiting.update,
      // The server follows a new layout with everything of it (docs/live-protocol.md), so start
      // from empty: figures of dropped tiles, queues or teams must not linger.
      layout: (dashboard) => {
        tiles.replaceAll([]);
        queues.replaceAll([]);
        waiting.update([]);
        agents.replaceAll([]);
        nextHours.update([]);
        renderLayout(dashboard);
      },
    },
  });

  // One timer for everything that moves without the server: the clock, times in state and waits
  // (frozen while stale), the agent pages, the rotation, broadcast expiry, the banner's "ago".
  function showClock() {
    byId('clock').textContent = formatClock(new Date(clock.now()), lang);
  }

  const everySecond = () => {
    showClock();
    agents.tick(secondsSince);
    waiting.tick(secondsSince);
    ticker.tick();
    if (status !== 'live') drawBanner();
    // A rotation holds still while the server is away: the next page could not be fetched anyway.
    if (rotation && status === 'live' && Date.now() - rotation.shownAt >= rotation.seconds * 1000) nextPage();
  };
  everySecond();
  setInterval(everySecond, 1000);
}

start();
