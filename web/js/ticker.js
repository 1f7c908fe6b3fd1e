// The supervisor broadcast: one message scrolling along the bottom of the screen until it
// expires. Expiry is also checked here, so a message does not outlive its time on a screen that
// has lost its connection.

/** Seconds the text takes to cross the screen, per character: long enough to read from afar. */
const SECONDS_PER_CHAR = 0.35;
const MIN_SECONDS = 12;

export function createTicker(footer, textEl, clock) {
  let current = null;

  function show(broadcast) {
    current = broadcast && !expired(broadcast) ? broadcast : null;
    footer.hidden = current == null;
    if (!current) {
      textEl.textContent = '';
      return;
    }
    footer.dataset.severity = current.severity ?? 'info';
    if (textEl.textContent !== current.text) {
      textEl.textContent = current.text;
      const seconds = Math.max(MIN_SECONDS, current.text.length * SECONDS_PER_CHAR);
      footer.style.setProperty('--ticker-seconds', `${seconds}s`);
    }
  }

  function expired(broadcast) {
    const expires = Date.parse(broadcast.expires);
    return !Number.isNaN(expires) && expires <= clock.now();
  }

  /** Called once a second: hides the message when it expires. */
  function tick() {
    if (current && expired(current)) show(null);
  }

  return { show, tick };
}
