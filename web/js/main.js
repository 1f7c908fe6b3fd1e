// The floor page: reads its settings from the address, connects, and routes what the hub sends
// to the parts of the board. Parameters: ?dashboard=inbound-floor&lang=zh-CN|en&key=…

import { createAgentBoard } from './agent-board.js';
import { createServerClock } from './clock.js';
import { connectToWallboard } from './connection.js';
import { formatClock } from './format.js';
import { localText, matchLanguage, translator } from './i18n.js';
import { createNextHours } from './next-hours.js';
import { createQueueTable } from './queue-table.js';
import { createTicker } from './ticker.js';
import { createTiles } from './tiles.js';

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
  const queues = createQueueTable(byId('queue-table'));
  const agents = createAgentBoard(byId('agent-board'), byId('agent-legend'), clock);
  const ticker = createTicker(byId('ticker'), byId('ticker-text'), clock);
  const nextHours = createNextHours(byId('next-hours'), byId('next-hours-title'), byId('next-hours-cells'));

  let lang = settings.lang ?? matchLanguage(navigator.language) ?? 'en';
  let t = translator(lang);
  let status = 'connecting';

  function setLanguage(next) {
    lang = next;
    t = translator(lang);
    // The lang attribute picks the CJK glyph variants (Simplified, not Japanese) in the font stack.
    document.documentElement.lang = lang;
  }

  function showStatus(next, detail) {
    status = next;
    document.body.dataset.connection = next;
    const el = byId('connection');
    el.dataset.state = next;
    el.textContent = t(`connection.${next === 'error' ? 'offline' : next}`);
    byId('stale-banner').textContent = bannerText(next, detail);
  }

  function bannerText(next, detail) {
    if (next === 'error') return `${t('stale.unknownDashboard')}: ${settings.dashboardId} — ${detail ?? ''}`;
    if (next === 'unauthorized') return t('stale.unauthorized');
    return t('stale.banner');
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
    agents.render(dashboard, lang, t);
    nextHours.render(dashboard, lang, t);
    showStatus(status);
  }

  function onState(state) {
    clock.sync(state.serverTime);
    renderLayout(state.dashboard);
    tiles.replaceAll(state.tiles);
    queues.replaceAll(state.queues);
    agents.replaceAll(state.agents);
    nextHours.update(state.nextHours);
    ticker.show(state.broadcast);
  }

  setLanguage(lang);
  showStatus('connecting');

  connectToWallboard({
    url: new URL('hubs/wallboard', document.baseURI).href,
    dashboardId: settings.dashboardId,
    key: settings.key,
    onState,
    onStatus: showStatus,
    handlers: {
      tiles: tiles.update,
      queues: queues.update,
      agents: agents.upsert,
      agentsRemoved: agents.remove,
      broadcast: ticker.show,
      alert: (alert) => tiles.flash(alert.tileId),
      nextHours: nextHours.update,
      // The server follows a new layout with everything of it (docs/live-protocol.md), so start
      // from empty: figures of dropped tiles, queues or teams must not linger.
      layout: (dashboard) => {
        tiles.replaceAll([]);
        queues.replaceAll([]);
        agents.replaceAll([]);
        nextHours.update([]);
        renderLayout(dashboard);
      },
    },
  });

  // One timer for everything that moves without the server: the clock, agents' time in state, broadcast expiry.
  const everySecond = () => {
    byId('clock').textContent = formatClock(new Date(clock.now()), lang);
    agents.tick();
    ticker.tick();
  };
  everySecond();
  setInterval(everySecond, 1000);
}

start();
