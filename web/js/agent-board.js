// The agent board, designed for 200+ agents on one 1080p screen with no text under 18 px
// (docs/live-protocol.md, "Agent board"). Text never shrinks to make room; density comes from
// what is shown and when:
//   1. The header counts every agent of the board by state: the whole floor at a glance.
//   2. Exceptions first: an agent whose time in state has passed its amber or red threshold
//      (a long call, pause or wrap-up, a phone ringing unanswered) is pinned at the top of every
//      page, red before amber, longest first. They are the only coloured cells: a calm floor is calm.
//   3. The others follow grouped by state (the layout's order), longest in state first, as
//      two-line cards when everyone fits, else as one-line rows.
//   4. When even rows do not fit, the board either pages through teams, one team (or a part of
//      one) at a time, every `pageSeconds`, the header saying which team and page (`overflow:
//      "pages"`, for a screen of agents), or shows the agents nearest a threshold and counts the
//      rest (`"priority"`, for a panel beside the queues, where fourteen pages would never be read).
// Time in state counts up here, every second, from the server's `since` (server clock offset
// applied), and stands still while the screen is cut off from the server.

import { formatDuration } from './format.js';

/** Display order of the states when the dashboard does not give one: the busiest first. */
const DEFAULT_STATES = ['ringing', 'on_call', 'wrap_up', 'paused', 'available'];
const SEVERITY = { red: 2, amber: 1, none: 0 };
/** The board's clock read as seconds since this instant is the clock itself. */
const EPOCH = '1970-01-01T00:00:00Z';

export function createAgentBoard(panel, header, root, clock) {
  /** agent id → AgentRow. */
  const agents = new Map();
  /** agent id → cell element, reused between redraws so nothing flickers. */
  const cells = new Map();
  let board = { states: DEFAULT_STATES, thresholds: {}, pauseReasons: {}, figures: ['handled'], pageSeconds: 10, teams: [], overflow: 'pages' };
  let context = { lang: 'en', t: (k) => k };
  let secondsSince = (iso) => clock.secondsSince(iso);
  let page = 0;
  /** When the page on screen was turned to (the page's clock), so pages turn on time whatever the ticks. */
  let pageShownAt = Date.now();
  let shownOrder = '';
  /** The last cell of a board that shows the most pressing agents: how many more there are. */
  const more = Object.assign(document.createElement('div'), { className: 'agent agent-more' });

  function render(dashboard, lang, t) {
    context = { lang, t };
    const config = dashboard.agentBoard;
    panel.hidden = !config;
    board = {
      states: config?.states?.length ? config.states : DEFAULT_STATES,
      thresholds: config?.thresholds ?? {},
      pauseReasons: config?.pauseReasons ?? {},
      figures: config?.figures?.length ? config.figures : ['handled'],
      pageSeconds: config?.pageSeconds ?? 10,
      teams: config?.teams ?? [],
      overflow: config?.overflow ?? 'pages',
    };
    // Outbound figures are what an outbound floor looks at; they take the detail's place on a row.
    root.dataset.figures = board.figures.some((f) => f !== 'handled') ? 'outbound' : 'inbound';
    // New cells for a new layout: the order drawn is no longer on screen.
    cells.clear();
    shownOrder = '';
    page = 0;
    pageShownAt = Date.now();
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
      cells.delete(id);
    }
    redraw();
  }

  /** The agents of the board's states, with their time in state and threshold level now. */
  function measured() {
    const rank = new Map(board.states.map((s, i) => [s, i]));
    // One reading of the board's clock for every agent: read once per agent, the clock moves on a
    // millisecond now and then, and agents who entered their state together would swap places
    // from one second to the next.
    const now = secondsSince(EPOCH);
    return [...agents.values()]
      .filter((a) => rank.has(a.status))
      .map((a) => {
        const since = Date.parse(a.since);
        const seconds = Number.isNaN(since) ? 0 : Math.max(0, now - since / 1000);
        const bands = bandsOf(a);
        const first = bands?.amber ?? bands?.red;
        // How far towards its first threshold (1 = there): the priority of an agent that is no exception yet.
        const nearness = first ? seconds / first : 0;
        return { row: a, seconds, level: levelOf(bands, seconds), rank: rank.get(a.status), nearness };
      });
  }

  function bandsOf(agent) {
    return (agent.status === 'paused' && agent.pauseReason && board.pauseReasons[agent.pauseReason])
      || board.thresholds[agent.status];
  }

  function levelOf(bands, seconds) {
    if (!bands) return 'none';
    if (bands.red != null && seconds >= bands.red) return 'red';
    if (bands.amber != null && seconds >= bands.amber) return 'amber';
    return 'none';
  }

  const byName = (a, b) => displayName(a.row).localeCompare(displayName(b.row), context.lang);
  const byState = (a, b) => a.rank - b.rank || b.seconds - a.seconds || byName(a, b);
  const bySeverity = (a, b) => SEVERITY[b.level] - SEVERITY[a.level] || b.seconds - a.seconds || byName(a, b);
  const byNearness = (a, b) => b.nearness - a.nearness || byState(a, b);

  /** Lays out the board: which cells, in which order, in which density, on which page. */
  function redraw() {
    if (panel.hidden) return;
    const all = measured();
    drawCounts(all);
    const exceptions = all.filter((a) => a.level !== 'none').sort(bySeverity);
    const others = all.filter((a) => a.level === 'none');

    // Two-line cards when everyone fits on one page; else one-line rows, paged by team when needed.
    let density = 'card';
    let capacity = capacityOf(density);
    if (exceptions.length + others.length > capacity) {
      density = 'row';
      capacity = capacityOf(density);
    }
    root.dataset.density = density;

    const overflowing = exceptions.length + others.length > capacity;
    let shown;
    let hidden = 0;
    if (overflowing && board.overflow === 'priority') {
      // The most pressing first, then a last cell counting the agents left out.
      const ranked = [...exceptions, ...[...others].sort(byNearness)];
      shown = ranked.slice(0, Math.max(0, capacity - 1));
      hidden = ranked.length - shown.length;
      drawPageLabel([], null);
    } else {
      const pinned = exceptions.slice(0, capacity);
      const room = Math.max(0, capacity - pinned.length);
      const pages = paginate(others, room, overflowing);
      if (page >= pages.length) page = 0;
      const current = pages[page] ?? { agents: [], teams: [] };
      drawPageLabel(pages, current);
      shown = [...pinned, ...current.agents];
    }

    const order = shown.map((a) => a.row.agent).join('|') + `+${hidden}`;
    for (const a of shown) fill(cellFor(a.row), a, density);
    if (hidden > 0) more.textContent = context.t('agent.more', { n: hidden });
    if (order !== shownOrder) {
      shownOrder = order;
      root.replaceChildren(...shown.map((a) => cellFor(a.row)), ...(hidden > 0 ? [more] : []));
    }
    if (shown.length === 0 && agents.size === 0) {
      shownOrder = '';
      root.replaceChildren(Object.assign(document.createElement('div'), { className: 'agent-none', textContent: context.t('agent.none') }));
    }
  }

  /**
   * The pages: with room for everyone, one page in state order; otherwise the teams in turn (the
   * layout's teams first, in its order), as many whole teams on a page as fit, a team larger than
   * a page over several.
   */
  function paginate(others, room, paged) {
    if (!paged) return [{ agents: [...others].sort(byState), teams: [] }];
    if (room === 0) return [{ agents: [], teams: [] }];
    const teams = new Map();
    for (const a of others) {
      const key = a.row.team ?? '';
      if (!teams.has(key)) teams.set(key, { name: a.row.teamName ?? a.row.team ?? null, agents: [] });
      teams.get(key).agents.push(a);
    }
    const order = [...teams.keys()].sort((x, y) => teamRank(x) - teamRank(y)
      || (teams.get(x).name ?? '\uffff').localeCompare(teams.get(y).name ?? '\uffff', context.lang));
    const pages = [];
    let current = null;
    const close = () => {
      if (current) pages.push(current);
      current = null;
    };
    for (const key of order) {
      const { name, agents: members } = teams.get(key);
      const label = name ?? context.t('agent.noTeam');
      members.sort(byState);
      if (members.length > room) {
        close();
        for (let start = 0; start < members.length; start += room) {
          pages.push({ agents: members.slice(start, start + room), teams: [label] });
        }
        continue;
      }
      if (current && current.agents.length + members.length > room) close();
      current ??= { agents: [], teams: [] };
      current.agents.push(...members);
      current.teams.push(label);
    }
    close();
    return pages;
  }

  function teamRank(team) {
    const index = board.teams.indexOf(team);
    return index < 0 ? board.teams.length : index;
  }

  /** Cells of `density` that fit the board, measured with a probe cell in the page's real fonts. */
  function capacityOf(density) {
    const width = root.clientWidth;
    const height = root.clientHeight;
    if (width <= 0 || height <= 0) return Infinity;
    const probe = document.createElement('div');
    probe.className = 'agent agent-probe';
    // Digits only: the probe is measured and removed, never seen; a line is as high in any script.
    probe.innerHTML = '<span class="agent-name">0</span><span class="agent-time">0:00</span><span class="agent-detail">0</span><span class="agent-figures">0</span>';
    const previous = root.dataset.density;
    root.dataset.density = density;
    root.append(probe);
    const style = getComputedStyle(root);
    const cellWidth = parseFloat(getComputedStyle(probe).minWidth) || probe.offsetWidth;
    const cellHeight = probe.offsetHeight;
    const columnGap = parseFloat(style.columnGap) || 0;
    const rowGap = parseFloat(style.rowGap) || 0;
    probe.remove();
    root.dataset.density = previous;
    const cols = Math.max(1, Math.floor((width + columnGap) / (cellWidth + columnGap)));
    const rows = Math.max(1, Math.floor((height + rowGap) / (cellHeight + rowGap)));
    root.style.setProperty('--agent-cols', String(cols));
    return cols * rows;
  }

  function cellFor(agent) {
    let cell = cells.get(agent.agent);
    if (!cell) {
      cell = document.createElement('div');
      cell.className = 'agent';
      cell.dataset.agent = agent.agent;
      cell.innerHTML = '<span class="agent-name"></span><span class="agent-time"></span>'
        + '<span class="agent-detail"></span><span class="agent-figures"></span>';
      cells.set(agent.agent, cell);
    }
    return cell;
  }

  function fill(cell, { row, seconds, level }, density) {
    cell.dataset.status = row.status;
    cell.dataset.since = row.since;
    cell.dataset.level = level;
    setText(cell.querySelector('.agent-name'), displayName(row));
    setText(cell.querySelector('.agent-time'), formatDuration(seconds));
    setText(cell.querySelector('.agent-detail'), detailOf(row, density));
    setText(cell.querySelector('.agent-figures'), figuresOf(row));
  }

  /**
   * What the agent is doing beyond the state colour: its pause reason ("培训", "lunch"), which is
   * what a supervisor asks, or the queue of the call it is on or wrapping up, after the state in
   * words on a card; a row has room for the queue alone (the stripe gives the state).
   */
  function detailOf(row, density) {
    const status = context.t(`status.${row.status}`);
    if (row.status === 'paused' && row.pauseReason) return row.pauseReason;
    if (!row.queue) return status;
    return density === 'row' ? row.queue : `${status} · ${row.queue}`;
  }

  /** Today's figures of the layout ("12", or "42 · 15 · 2" on an outbound floor), and rota adherence where the agent has one. */
  function figuresOf(row) {
    const figures = board.figures.map((f) => String(row[f] ?? 0));
    if (row.adherence != null) figures.push(`${Math.round(row.adherence * 100)}%`);
    return figures.join(' · ');
  }

  function drawCounts(all) {
    const counts = new Map(board.states.map((s) => [s, 0]));
    for (const a of all) counts.set(a.row.status, counts.get(a.row.status) + 1);
    const chips = header.querySelector('.agent-counts');
    chips.replaceChildren(...board.states.map((s) => {
      const chip = document.createElement('span');
      chip.className = 'agent-count';
      chip.dataset.status = s;
      chip.innerHTML = '<span class="agent-count-label"></span><span class="agent-count-value"></span>';
      chip.firstChild.textContent = context.t(`status.${s}`);
      chip.lastChild.textContent = String(counts.get(s));
      return chip;
    }));
    const names = board.figures.map((f) => context.t.kpi(f));
    setText(header.querySelector('.agent-key'), context.t('agent.today', { figures: names.join(' · ') }));
  }

  function drawPageLabel(pages, current) {
    const label = header.querySelector('.agent-page');
    const teams = current?.teams.join(context.t('list.separator')) ?? '';
    const text = pages.length > 1 ? context.t('agent.page', { team: teams, page: page + 1, pages: pages.length }) : '';
    setText(label, text);
    label.hidden = text === '';
  }

  /**
   * Called once a second with the clock of the board (the server's, or the moment the connection
   * was lost): advances times, re-ranks exceptions, and turns the page when its time is up.
   */
  function tick(since) {
    secondsSince = since;
    if (Date.now() - pageShownAt >= board.pageSeconds * 1000) {
      pageShownAt = Date.now();
      page++;
    }
    redraw();
  }

  // A screen's size is fixed, but the panel changes when the layout or the window does.
  new ResizeObserver(() => redraw()).observe(root);

  return { render, replaceAll, upsert, remove, tick };
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * The agent's name; without a configured one the server sends the PBX interface ("SIP/1001",
 * "Agent/1001"), whose technology prefix only crowds a small cell, so the extension is shown.
 */
function displayName(agent) {
  const name = agent.name || agent.agent;
  return name === agent.agent ? name.slice(name.lastIndexOf('/') + 1) : name;
}
