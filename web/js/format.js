// Number formatting for what the page formats itself: targets, queue-table cells and timers.
// Tile values arrive already formatted (TileValue.display) so every screen shows the same text.

/** Formats a value the way a dashboard tile's `format` says; null shows as a dash. */
export function formatValue(value, format, lang) {
  if (value == null || Number.isNaN(value)) return '–';
  switch (format) {
    case 'percent':
      // Whole percent, as the server's tile display strings, so table and tiles agree.
      return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(value * 100)}%`;
    case 'duration':
      // Rounded, not truncated, as the server's tile display strings: an ASA of 17.5 s reads 0:18 everywhere.
      return formatDuration(Math.round(value));
    case 'decimal':
      return new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
    default:
      return new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(value);
  }
}

/** Seconds as m:ss, or h:mm:ss from an hour up (an agent paused all morning must not read 187:12). */
export function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The display format of a KPI by its name (docs/kpis.md naming: ratios are *_rate or service_level, times end in _seconds). */
export function formatOfKpi(kpi) {
  if (kpi === 'service_level' || kpi.endsWith('_rate')) return 'percent';
  if (kpi.endsWith('_seconds')) return 'duration';
  if (kpi === 'calls_per_agent_hour') return 'decimal';
  return 'number';
}

/** Wall-clock time of day in the page's language, 24-hour. */
export function formatClock(date, lang) {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date);
}
