// Every string the page shows comes from this table, so a language is added in one place.
// Text that comes from the server (dashboard names, tile titles, pause reasons) is already
// per-language in the dashboard file or free text, and is shown as given.

const STRINGS = {
  en: {
    'connection.connecting': 'Connecting…',
    'connection.live': 'Live',
    'connection.reconnecting': 'Reconnecting…',
    'connection.offline': 'Offline',
    'stale.banner': 'Connection lost — figures are stale, reconnecting…',
    'stale.unknownDashboard': 'Unknown dashboard',
    'panel.queues': 'Queues',
    'panel.agents': 'Agents',
    'queue.name': 'Queue',
    'kpi.calls_waiting': 'Waiting',
    'kpi.longest_wait_seconds': 'Longest wait',
    'kpi.offered': 'Offered',
    'kpi.answered': 'Answered',
    'kpi.abandoned': 'Abandoned',
    'kpi.service_level': 'Service level',
    'kpi.abandon_rate': 'Abandon rate',
    'kpi.asa_seconds': 'ASA',
    'kpi.aht_seconds': 'AHT',
    'kpi.ring_rate': 'Ring rate',
    'kpi.short_abandoned': 'Short abandons',
    'kpi.max_wait_seconds': 'Max wait',
    'kpi.handled': 'Handled',
    'kpi.agents_logged_in': 'Logged in',
    'kpi.agents_available': 'Available',
    'kpi.agents_on_call': 'On call',
    'kpi.agents_paused': 'Paused',
    'kpi.attempts': 'Attempts',
    'kpi.connected': 'Connected',
    'kpi.connect_rate': 'Connect rate',
    'kpi.conversions': 'Conversions',
    'kpi.conversion_rate': 'Conversion rate',
    'kpi.calls_per_agent_hour': 'Calls / agent-hour',
    'kpi.agents_staffed': 'Staffed',
    'kpi.agents_required': 'Required',
    'kpi.staffing_gap': 'Gap',
    'agent.adherence': 'Adherence',
    'nextHours.title': 'Next hours',
    'nextHours.calls': '{n} calls',
    'nextHours.agents': 'need {required} · rota {scheduled}',
    'connection.unauthorized': 'Key refused',
    'stale.unauthorized': 'The server refused this screen\'s key — check key= in the address',
    'kpi.timed_out': 'Timed out',
    'kpi.exited_key': 'Left by key',
    'kpi.exited_empty': 'No agents',
    'kpi.withdrawn': 'Withdrawn',
    'kpi.answered_within_sl': 'Answered in SL',
    'kpi.answered_within_rings': 'Answered in rings',
    'kpi.talk_seconds': 'Talk time',
    'kpi.avg_abandon_seconds': 'Avg abandon wait',
    'kpi.no_answer': 'No answer',
    'kpi.busy': 'Busy',
    'kpi.failed': 'Failed',
    'kpi.contacts': 'Contacts',
    'kpi.complaints': 'Complaints',
    'kpi.repeat_conversion_rate': 'Callback conversion',
    'status.logged_out': 'Logged out',
    'status.available': 'Available',
    'status.ringing': 'Ringing',
    'status.on_call': 'On call',
    'status.wrap_up': 'Wrap-up',
    'status.paused': 'Paused',
    'agent.handled': 'calls',
    'agent.more': '+{n} more',
    'tile.target': 'Target {value}',
    'trend.up': 'rising',
    'trend.down': 'falling',
    'trend.flat': 'steady',
    'window.live': 'live',
    'window.last15': 'last 15 min',
    'window.last30': 'last 30 min',
    'window.last60': 'last hour',
    'window.shift': 'this shift',
    'window.today': 'today',
  },
  'zh-CN': {
    'connection.connecting': '正在连接…',
    'connection.live': '实时',
    'connection.reconnecting': '正在重新连接…',
    'connection.offline': '已断开',
    'stale.banner': '连接中断 — 数据已过时，正在重新连接…',
    'stale.unknownDashboard': '未知看板',
    'panel.queues': '队列',
    'panel.agents': '坐席',
    'queue.name': '队列',
    'kpi.calls_waiting': '排队',
    'kpi.longest_wait_seconds': '最长等待',
    'kpi.offered': '呼入',
    'kpi.answered': '接通',
    'kpi.abandoned': '放弃',
    'kpi.service_level': '服务水平',
    'kpi.abandon_rate': '放弃率',
    'kpi.asa_seconds': '平均应答',
    'kpi.aht_seconds': '平均处理',
    'kpi.ring_rate': '振铃接起率',
    'kpi.short_abandoned': '短时放弃',
    'kpi.max_wait_seconds': '最大等待',
    'kpi.handled': '处理',
    'kpi.agents_logged_in': '在线',
    'kpi.agents_available': '空闲',
    'kpi.agents_on_call': '通话中',
    'kpi.agents_paused': '小休',
    'kpi.attempts': '外呼次数',
    'kpi.connected': '接通',
    'kpi.connect_rate': '接通率',
    'kpi.conversions': '成交',
    'kpi.conversion_rate': '成交率',
    'kpi.calls_per_agent_hour': '人时通话量',
    'kpi.agents_staffed': '在岗',
    'kpi.agents_required': '需求',
    'kpi.staffing_gap': '缺口',
    'agent.adherence': '排班遵守率',
    'nextHours.title': '未来几小时',
    'nextHours.calls': '{n} 通',
    'nextHours.agents': '需 {required} · 排 {scheduled}',
    'connection.unauthorized': '密钥无效',
    'stale.unauthorized': '服务器拒绝了本屏幕的密钥，请检查地址中的 key=',
    'kpi.timed_out': '超时',
    'kpi.exited_key': '按键离开',
    'kpi.exited_empty': '无坐席离开',
    'kpi.withdrawn': '撤出排队',
    'kpi.answered_within_sl': '达标接通',
    'kpi.answered_within_rings': '响铃内接起',
    'kpi.talk_seconds': '通话时长',
    'kpi.avg_abandon_seconds': '平均放弃等待',
    'kpi.no_answer': '无人接听',
    'kpi.busy': '占线',
    'kpi.failed': '失败',
    'kpi.contacts': '有效接触',
    'kpi.complaints': '投诉',
    'kpi.repeat_conversion_rate': '回访成交率',
    'status.logged_out': '已签出',
    'status.available': '空闲',
    'status.ringing': '振铃',
    'status.on_call': '通话中',
    'status.wrap_up': '话后处理',
    'status.paused': '小休',
    'agent.handled': '通',
    'agent.more': '另有 {n} 人',
    'tile.target': '目标 {value}',
    'trend.up': '上升',
    'trend.down': '下降',
    'trend.flat': '持平',
    'window.live': '实时',
    'window.last15': '近15分钟',
    'window.last30': '近30分钟',
    'window.last60': '近1小时',
    'window.shift': '本班次',
    'window.today': '今日',
  },
};

export const SUPPORTED_LANGUAGES = Object.keys(STRINGS);
const FALLBACK = 'en';

/** Picks a supported language from a requested tag ("zh", "zh-CN", "en-GB"), else null. */
export function matchLanguage(tag) {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  return SUPPORTED_LANGUAGES.find((l) => l.toLowerCase() === lower)
    ?? SUPPORTED_LANGUAGES.find((l) => l.split('-')[0] === lower.split('-')[0])
    ?? null;
}

/** A translator bound to one language: t('key', { n: 3 }). Missing keys fall back to English, then to the key. */
export function translator(lang) {
  const table = STRINGS[lang] ?? STRINGS[FALLBACK];
  return (key, params) => {
    const text = table[key] ?? STRINGS[FALLBACK][key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? '')) : text;
  };
}

/** Picks one language out of a bilingual text from a dashboard file ({ en, "zh-CN" } or a plain string). */
export function localText(text, lang) {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text[FALLBACK] ?? Object.values(text)[0] ?? '';
}
