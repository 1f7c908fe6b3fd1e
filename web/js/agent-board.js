// The agent state board: a card per agent (state colour, time in state, pause reason, calls
// handled), sized so that the whole team fits the panel without scrolling. Time in state counts
// up here, every second, from the server's `since` corrected by the server clock offset, so the
// server need not push anything while agents merely stay in their state.

import { formatDuration } from './format.js';

/** Display order of the states when the dashboard does not give one: the busiest first. */
const DEFAULT_STATES = ['ringing', 'on_call', 'wrap_up', 'paused', 'available'];
/** Width to height of a card; names and timers read best a bit wider than high. */
const CARD_ASPECT = 2.6;
/** Never fewer rows than this, so that four agents do not get cards the size of a door. */
const MIN_ROWS = 4;
/** Never more rows than this: below it a card is no longer readable from the back of the room. */
const MAX_ROWS = 12;

export function createAgentBoard(root, legend, clock) {
  /** agent id → AgentRow. */
  const agents = new Map();
  /** agent id → card element, reused between redraws so timers do not flicker. */
  const cards = new Map();
  let states = DEFAULT_STATES;
  let context = { lang: 'en', t: (k) => k };
  let grid = { cols: 1, rows: MIN_ROWS };

  function render(dashboard, lang, t) {
    context = { lang, t };
    states = dashboard.agentBoard?.states?.length ? dashboard.agentBoard.states : DEFAULT_STATES;
    cards.clear();
    redraw();
  }

  function replaceAll(rows) {
    agents.clear();
    upsert(rows);
  }

  function upsert(rows) {
    for (const row of rows ?? []) agents.set(row.agent, row);
    redraw();
  }

  function remove(ids) {
    for (const id of ids ?? []) {
      agents.delete(id);
      cards.delete(id);
    }
    redraw();
  }

  /** Agents on the board, grouped by state in the dashboard's order, then by name. */
  function visibleAgents() {
    const rank = new Map(states.map((s, i) => [s, i]));
    return [...agents.values()]
      .filter((a) => rank.has(a.status))
      .sort((a, b) => rank.get(a.status) - rank.get(b.status) || a.name.localeCompare(b.name, context.lang));
  }

  function redraw() {
    const visible = visibleAgents();
    grid = fitGrid(visible.length, root.clientWidth, root.clientHeight);
    root.style.setProperty('--agent-cols', String(grid.cols));
    root.style.setProperty('--agent-rows', String(grid.rows));
    const capacity = grid.cols * grid.rows;
    const shown = visible.length > capacity ? visible.slice(0, capacity - 1) : visible;
    const children = shown.map(cardFor);
    if (shown.length < visible.length) children.push(moreCard(visible.length - shown.length));
    root.replaceChildren(...children);
    drawLegend(visible);
    tick();
  }

  function cardFor(agent) {
    let card = cards.get(agent.agent);
    if (!card) {
      card = document.createElement('div');
      card.className = 'agent';
      card.dataset.agent = agent.agent;
      card.innerHTML = '<span class="agent-name"></span><span class="agent-time"></span>'
        + '<span class="agent-status"></span><span class="agent-handled"></span>';
      cards.set(agent.agent, card);
    }
    card.dataset.status = agent.status;
    card.dataset.since = agent.since;
    card.querySelector('.agent-name').textContent = displayName(agent);
    // A pause reason is what a supervisor wants to see ("培训", "lunch"); the state colour already says "paused".
    card.querySelector('.agent-status').textContent = agent.status === 'paused' && agent.pauseReason
      ? agent.pauseReason
      : context.t(`status.${agent.status}`);
    // Adherence to today's rota, where the agent has one: a supervisor's figure, sent only then.
    const adherence = agent.adherence == null ? '' : ` · ${Math.round(agent.adherence * 100)}%`;
    card.querySelector('.agent-handled').textContent = `${agent.handled ?? 0} ${context.t('agent.handled')}${adherence}`;
    return card;
  }

  function moreCard(count) {
    const card = document.createElement('div');
    card.className = 'agent agent-more';
    card.textContent = context.t('agent.more', { n: count });
    return card;
  }

  function drawLegend(visible) {
    const counts = new Map(states.map((s) => [s, 0]));
    for (const a of visible) counts.set(a.status, counts.get(a.status) + 1);
    legend.replaceChildren(...states.map((s) => {
      const chip = document.createElement('span');
      chip.className = 'legend-chip';
      chip.dataset.status = s;
      chip.textContent = `${context.t(`status.${s}`)} ${counts.get(s)}`;
      return chip;
    }));
  }

  /** Advances every visible timer; called once a second. */
  function tick() {
    for (const card of root.querySelectorAll('.agent[data-since]')) {
      card.querySelector('.agent-time').textContent = formatDuration(clock.secondsSince(card.dataset.since));
    }
  }

  // A screen's size is fixed, but the panel changes when the layout or the window does.
  new ResizeObserver(() => {
    const next = fitGrid(visibleAgents().length, root.clientWidth, root.clientHeight);
    if (next.cols !== grid.cols || next.rows !== grid.rows) redraw();
  }).observe(root);

  return { render, replaceAll, upsert, remove, tick };
}

/**
 * The agent's name; without a configured one the server sends the PBX interface ("SIP/1001",
 * "Agent/1001"), whose technology prefix only crowds a small card, so the extension is shown.
 */
function displayName(agent) {
  const name = agent.name || agent.agent;
  return name === agent.agent ? name.slice(name.lastIndexOf('/') + 1) : name;
}

/**
 * Picks the number of columns that gives `count` cards of CARD_ASPECT the largest size in a
 * width × height panel, with at least MIN_ROWS rows. When even cards of the smallest readable
 * size (a MAX_ROWS-th of the height) cannot hold everyone, fills MAX_ROWS rows and the board
 * shows "+n more" rather than shrinking further.
 */
export function fitGrid(count, width, height) {
  if (width <= 0 || height <= 0) return { cols: 1, rows: MIN_ROWS };
  const smallest = height / MAX_ROWS;
  let best = null;
  for (let cols = 1; cols <= Math.max(1, count); cols++) {
    const rows = Math.max(MIN_ROWS, Math.ceil(count / cols));
    const size = Math.min(width / cols / CARD_ASPECT, height / rows);
    // On a tie (height-bound) take more columns, so cards keep their shape instead of stretching.
    if (rows <= MAX_ROWS && size >= smallest && (!best || size >= best.size)) best = { cols, rows, size };
  }
  if (best) return { cols: best.cols, rows: best.rows };
  return { cols: Math.max(1, Math.floor(width / (smallest * CARD_ASPECT))), rows: MAX_ROWS };
}
