// The "next hours" strip: per step of the coming hours, the calls forecast for the board's queues
// and the agents they need beside those on the rota; a step with fewer on the rota than needed
// is marked red. Shown only on a dashboard whose layout has `nextHours`.

export function createNextHours(root, title, cells) {
  let context = { lang: 'en', t: (k) => k };

  function render(dashboard, lang, t) {
    context = { lang, t };
    root.hidden = !dashboard.nextHours;
    title.textContent = t('nextHours.title');
  }

  function update(next) {
    cells.replaceChildren(...(next ?? []).map(cell));
  }

  function cell(step) {
    const item = document.createElement('li');
    item.className = 'next-hours-cell';
    item.dataset.state = step.state;
    const time = document.createElement('span');
    time.className = 'next-hours-time';
    time.textContent = step.start;
    const calls = document.createElement('span');
    calls.className = 'next-hours-calls';
    calls.textContent = context.t('nextHours.calls', { n: Math.round(step.offered) });
    const agents = document.createElement('span');
    agents.className = 'next-hours-agents';
    agents.textContent = context.t('nextHours.agents', {
      required: step.required ?? '–',
      scheduled: step.scheduled == null ? '–' : Math.round(step.scheduled * 10) / 10,
    });
    item.append(time, calls, agents);
    return item;
  }

  return { render, update };
}
