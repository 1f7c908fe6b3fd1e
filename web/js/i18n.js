// Every string the page shows comes from the product's one glossary (../i18n/glossary.json), which
// the PDF reports and docs/glossary.md use too: one concept, one name, in every language. Text
// that comes from the server (dashboard names, tile titles a layout gives, queue and agent names,
// pause reasons) is the centre's own and is shown as given.

import glossary from '../i18n/glossary.json' with { type: 'json' };

const FALLBACK = glossary.languages[0];

/** key → { language → text }, with "@key" entries resolved to the entry they name. */
const ENTRIES = resolve(glossary);

function resolve(file) {
  const raw = Object.assign({}, ...file.sections.map((section) => section.entries));
  const resolved = {};
  const entryOf = (key, seen = new Set()) => {
    if (resolved[key]) return resolved[key];
    const value = raw[key];
    if (typeof value !== 'string') return (resolved[key] = value);
    const target = value.slice(1);
    // The server's glossary test refuses cycles and dangling references, so this only guards a hand edit.
    if (seen.has(target) || !(target in raw)) return (resolved[key] = {});
    seen.add(key);
    return (resolved[key] = entryOf(target, seen));
  };
  for (const key of Object.keys(raw)) entryOf(key);
  return resolved;
}

export const SUPPORTED_LANGUAGES = [...glossary.languages];

/** Picks a supported language from a requested tag ("zh", "zh-CN", "en-GB"), else null. */
export function matchLanguage(tag) {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  return SUPPORTED_LANGUAGES.find((l) => l.toLowerCase() === lower)
    ?? SUPPORTED_LANGUAGES.find((l) => l.split('-')[0] === lower.split('-')[0])
    ?? null;
}

/**
 * A translator bound to one language: t('key', { n: 3 }). A missing language falls back to English;
 * a missing key shows as the key, which the browser test would catch.
 */
export function translator(lang) {
  const t = (key, params) => {
    const entry = ENTRIES[key];
    const text = entry?.[lang] ?? entry?.[FALLBACK] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? '')) : text;
  };
  /** A KPI's name (kpi.*). */
  t.kpi = (kpi) => t(`kpi.${kpi}`);
  /** A KPI's table header: its short form (column.*) where the glossary has one, else its name. */
  t.column = (kpi) => (ENTRIES[`column.${kpi}`] ? t(`column.${kpi}`) : t.kpi(kpi));
  t.lang = lang;
  return t;
}

/** Picks one language out of a bilingual text from a dashboard file ({ en, "zh-CN" } or a plain string). */
export function localText(text, lang) {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text[FALLBACK] ?? Object.values(text)[0] ?? '';
}

/** A span of seconds in words ("3 min", "40 s"), for "last update … ago". */
export function agoText(seconds, t) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return t('duration.seconds', { n: s });
  if (s < 3600) return t('duration.minutes', { n: Math.floor(s / 60) });
  return t('duration.hours', { n: Math.floor(s / 3600) });
}
