// The one SignalR connection of a screen: join a dashboard, route pushed messages, and keep
// trying forever. A wallboard hangs on a wall with nobody to press F5, so it never gives up, and
// it says loudly when what it shows may be stale.

// The vendored UMD build of @microsoft/signalr defines `signalR` on the window; read it once here
// so no other module depends on a global.
const signalR = globalThis.signalR;

/** The messages the hub pushes (docs/live-protocol.md); each gets a handler of the same name. */
const PUSHED = ['tiles', 'queues', 'agents', 'agentsRemoved', 'broadcast', 'alert', 'layout', 'nextHours', 'waiting'];

/** A join that overlapped pushes is repeated at most this often before its state is taken as it is. */
const MAX_REJOINS = 3;

/**
 * Back off 0.5 s, 1 s, 2 s … up to 10 s: quick after a blip, gentle on a server that is down. The
 * ±20 % jitter keeps a floor of screens from knocking on a restarted server in the same instant.
 */
function retryDelay(attempt) {
  const jitter = 0.8 + Math.random() * 0.4;
  return Math.min(500 * 2 ** attempt, 10_000) * jitter;
}

/**
 * The negotiate request was answered 401 or 403. The client wraps the HttpError of negotiate in
 * an error that keeps only its text ("… Status code '401'"), hence the message test.
 */
function isUnauthorized(err) {
  return err?.statusCode === 401 || err?.statusCode === 403 || /status code '40[13]'/i.test(err?.message ?? '');
}

/**
 * Connects and joins `dashboardId`; `switchTo` joins another (a rotation's next page).
 * @param {object} options
 * @param {string} options.url hub address
 * @param {string} options.dashboardId
 * @param {string|null} options.key viewer key, if the server has keys
 * @param {(state: object) => void} options.onState full DashboardState after every (re)join
 * @param {Record<string, Function>} options.handlers one per pushed message
 * @param {(status: string, detail?: string) => void} options.onStatus connecting | live | reconnecting | unauthorized | error
 * @param {(dashboardId: string, detail: string) => boolean} [options.onJoinRefused] true when the caller handles it (a rotation skips the page)
 * @returns {{ switchTo: (dashboardId: string) => void }}
 */
export function connectToWallboard({ url, dashboardId, key, onState, handlers, onStatus, onJoinRefused }) {
  const connection = new signalR.HubConnectionBuilder()
    // The client sends the key as a bearer header on negotiate and long polling, and as the
    // access_token query parameter where browsers allow no header (WebSockets, SSE).
    .withUrl(url, key ? { accessTokenFactory: () => key } : {})
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => retryDelay(ctx.previousRetryCount) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  let current = dashboardId;
  let joining = 0;
  let droppedWhileJoining = false;

  // While a join is under way, pushes may belong to the dashboard being left or to the one being
  // joined, and nothing on the wire says which: they are dropped, and the join is repeated when
  // any came, since one may have been newer than the state the join returns.
  for (const name of PUSHED) {
    const handler = handlers[name];
    if (!handler) continue;
    connection.on(name, (...args) => {
      if (joining > 0) {
        droppedWhileJoining = true;
        return;
      }
      handler(...args);
    });
  }

  async function join(rejoins = 0) {
    const id = current;
    joining++;
    droppedWhileJoining = false;
    let state;
    try {
      state = await connection.invoke('JoinDashboard', id);
    } catch (err) {
      joining--;
      // The connection is up but the hub refused the join (unknown dashboard, invalid key):
      // show why, and ask again later in case the file or the key is fixed.
      if (connection.state !== signalR.HubConnectionState.Connected) return;
      // Keep the server's own words ("there is no dashboard 'x'"), not the client's preamble.
      const detail = String(err?.message ?? err).replace(/^.*HubException:\s*/s, '');
      if (onJoinRefused?.(id, detail)) return;
      onStatus('error', detail);
      setTimeout(() => join(), retryDelay(5));
      return;
    }
    joining--;
    // A newer switch is on its way: this state is of a page no longer wanted.
    if (id !== current) return;
    if (droppedWhileJoining && rejoins < MAX_REJOINS) {
      join(rejoins + 1);
      return;
    }
    onState(state);
    onStatus('live');
  }

  // After a reconnect the server sees a new connection that is in no group: join again, which
  // also brings the full state, since every push missed while away is lost.
  connection.onreconnecting(() => onStatus('reconnecting'));
  connection.onreconnected(() => join());

  // onclose fires only when automatic reconnection itself fails to start (e.g. the negotiate
  // request keeps failing before a transport is up); fall back to the start loop.
  connection.onclose(() => {
    onStatus('reconnecting');
    startLoop(0);
  });

  async function startLoop(attempt) {
    try {
      await connection.start();
    } catch (err) {
      // A refused key will not fix itself by retrying faster; say so, and keep trying slowly
      // in case the server's keys are being rotated.
      if (isUnauthorized(err)) {
        onStatus('unauthorized');
        setTimeout(() => startLoop(attempt + 1), retryDelay(5));
        return;
      }
      onStatus('reconnecting');
      setTimeout(() => startLoop(attempt + 1), retryDelay(attempt));
      return;
    }
    await join();
  }

  onStatus('connecting');
  startLoop(0);

  return {
    switchTo(id) {
      current = id;
      if (connection.state === signalR.HubConnectionState.Connected) join();
    },
  };
}
