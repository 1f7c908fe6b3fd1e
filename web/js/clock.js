// The server's clock, as seen from this screen. Times in state are computed from the server's
// `since` timestamps; a wall PC whose clock is off by a minute must not show agents a minute
// longer in state, so every reading is corrected by the offset measured at the last full state.

export function createServerClock() {
  let offsetMs = 0;
  return {
    /** Records the server time carried by a DashboardState (ISO 8601 UTC). */
    sync(serverTimeIso) {
      const server = Date.parse(serverTimeIso);
      if (!Number.isNaN(server)) offsetMs = server - Date.now();
    },
    /** Milliseconds since the epoch on the server's clock. */
    now() {
      return Date.now() + offsetMs;
    },
    /** Whole seconds elapsed on the server's clock since an ISO timestamp. */
    secondsSince(iso) {
      const t = Date.parse(iso);
      return Number.isNaN(t) ? 0 : Math.max(0, (this.now() - t) / 1000);
    },
  };
}
