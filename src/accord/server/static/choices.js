// Preferences by pairwise choices: ask the service for the next question given the answers so far
// (the library picks it and fits the answers), then show the fit back for confirmation and submit
// the fitted preferences to the API. The answers live only in this page until they are saved.
import { build, clearErrors, post, renderPreview, showProblems } from './forms.js';

const root = document.getElementById('choices');
const heading = document.getElementById('q-h');
const box = document.getElementById('question');
const choose = document.getElementById('choose');
const enough = document.getElementById('enough');
const fitBox = document.getElementById('fit');
const confirm = document.getElementById('confirm');
const previewBox = document.getElementById('choice-preview');
const answers = [];
let current = null;

const text = (tag, content, cls) => {
  const el = document.createElement(tag);
  el.textContent = content;
  if (cls) el.className = cls;
  return el;
};

function showQuestion(q) {
  current = q;
  heading.textContent = `Question ${q.number}: ${q.prompt}`;
  const table = document.createElement('table');
  table.className = 'pair';
  const head = table.createTHead().insertRow();
  for (const name of ['Point', 'Package A', 'Package B']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  for (const d of q.differing) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = d.point;
    row.append(th);
    row.insertCell().textContent = d.first.label;
    row.insertCell().textContent = d.second.label;
  }
  const same = document.createElement('details');
  same.append(text('summary', `Both packages are the same on the other ${q.same.length} points`));
  const list = document.createElement('ul');
  for (const s of q.same) list.append(text('li', `${s.point}: ${s.option.label}`));
  same.append(list);
  box.replaceChildren(table, same);
  choose.hidden = false;
}

function showFit(fit) {
  if (!fit) return;
  const parts = [text('p', fit.summary)];
  const list = document.createElement('ol');
  list.className = 'importance-order';
  // Points by their titles (the fit speaks of ids); every point that matters, the first eight shown.
  const titles = JSON.parse(root.dataset.points || '{}');
  const order = fit.importance_order;
  for (const issue of order.slice(0, 8)) {
    list.append(text('li', `${titles[issue] || issue}: ${(100 * fit.weights[issue]).toFixed(0)}% of what matters`));
  }
  parts.push(list);
  if (order.length > 8) {
    const rest = order.slice(8).map((issue) => titles[issue] || issue);
    const more = document.createElement('details');
    more.append(text('summary', `and ${order.length - 8} more points that matter less`));
    const others = document.createElement('ol');
    others.start = 9;
    for (const [k, name] of rest.entries()) {
      others.append(text('li', `${name}: ${(100 * fit.weights[order[8 + k]]).toFixed(0)}% of what matters`));
    }
    more.append(others);
    parts.push(more);
  }
  fitBox.replaceChildren(...parts);
}

async function refreshPreview() {
  clearErrors(confirm);
  const values = build(confirm);
  const answer = await post(root.dataset.fitUrl, { answers, walk_away: values.walk_away });
  if (!answer.ok) {
    showProblems(confirm, answer.data, undefined, false);
    return null;
  }
  renderPreview(previewBox, answer.data.preview);
  return answer.data;
}

async function next() {
  const answer = await post(root.dataset.nextUrl, { answers });
  if (!answer.ok) {
    heading.textContent = 'The questions could not continue';
    box.replaceChildren(text('p', (answer.data && answer.data.error) || 'refused'));
    return;
  }
  showFit(answer.data.fit);
  enough.hidden = answers.length < 3;
  if (answer.data.question) {
    showQuestion(answer.data.question);
    heading.focus();
  } else {
    finish('That is enough questions: your answers are consistent.');
  }
}

function finish(message) {
  current = null;
  choose.hidden = true;
  enough.hidden = true;
  heading.textContent = message;
  box.replaceChildren(text('p', `You answered ${answers.length} questions. Check the result, set your walk-away point, and save.`));
  confirm.hidden = false;
  refreshPreview();
  heading.focus();
}

choose.addEventListener('click', (event) => {
  const button = event.target.closest('[data-choose]');
  if (!button || !current) return;
  answers.push({ first: current.first, second: current.second, chosen: Number(button.dataset.choose) });
  choose.hidden = true;
  next();
});
enough.addEventListener('click', () => finish('Here is what your answers say'));

let timer = null;
confirm.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(refreshPreview, 350);
});
confirm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = confirm.querySelector('.form-status');
  const fitted = await refreshPreview();
  if (!fitted) return;
  const values = build(confirm);
  const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent((document.cookie.split('; ').find((c) => c.startsWith('accord_csrf=')) || '=').split('=')[1]) };
  if (root.dataset.ifMatch) headers['If-Match'] = root.dataset.ifMatch;
  const res = await fetch(root.dataset.api, {
    method: 'PUT',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify({ visibility: values.visibility, preferences: fitted.preferences }),
  });
  if (res.ok) {
    location.assign(root.dataset.room);
    return;
  }
  let data = null;
  try {
    data = await res.json();
  } catch (error) {
    data = null;
  }
  if (status) status.textContent = '';
  showProblems(confirm, data, `refused (${res.status})`);
});

next();
