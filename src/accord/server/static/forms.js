// Every form with data-api is sent to the JSON API with the session's CSRF token; a refusal's
// problems are shown next to the fields they name, and what was typed stays in the form.
// Forms inside parts of the page that live.js replaces keep working: submit is delegated.

const csrf = () => {
  const found = document.cookie.split('; ').find((c) => c.startsWith('accord_csrf='));
  return found ? decodeURIComponent(found.slice('accord_csrf='.length)) : '';
};

function setPath(target, path, value) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
}

function getList(target, path) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (!Array.isArray(node[last])) node[last] = [];
  return node[last];
}

// Numbers go through a fixed rounding so that 55 × 0.01 is 0.55, not 0.55000000000000004.
const tidy = (x) => Math.round(x * 1e9) / 1e9;

export function build(form) {
  const body = {};
  // A list of checkboxes is sent even when none is ticked: [] clears what an earlier answer named.
  for (const el of form.querySelectorAll('input[type=checkbox][data-list][name]:not([data-bool])')) {
    if (!el.disabled && !form.dataset.wrap) getList(body, el.name);
  }
  const wrap = form.dataset.wrap;
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const target = wrap && !('top' in el.dataset) ? (body[wrap] ??= {}) : body;
    if (el.type === 'radio') {
      if (el.checked) setPath(target, el.name, el.value);
      continue;
    }
    if (el.type === 'checkbox') {
      if ('bool' in el.dataset) setPath(target, el.name, el.checked);
      else if (el.checked) getList(target, el.name).push(el.value);
      continue;
    }
    if (el.tagName === 'SELECT' && el.multiple) {
      setPath(target, el.name, [...el.selectedOptions].map((o) => o.value));
      continue;
    }
    let value = el.value;
    if (value === '' && 'optional' in el.dataset) continue;
    if ('number' in el.dataset && value !== '') {
      const number = Number(value);
      value = Number.isFinite(number) ? tidy(number * Number(el.dataset.scale || 1)) : value;
    }
    setPath(target, el.name, value);
  }
  if (form.dataset.body === 'amendment') {
    const [issue, option] = String(body.change || '').split('|');
    const out = { base: form.dataset.base, changes: { [issue]: option } };
    if (body.note) out.note = body.note;
    return out;
  }
  return body;
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-summary');
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

function slotFor(form, path) {
  const clean = String(path || '').replace(/^(body|request body|query)\./, '');
  let best = null;
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    const key = slot.dataset.errorFor;
    const hit = clean === key || clean.endsWith('.' + key) || clean.endsWith(']' + '.' + key);
    if (hit && (!best || key.length > best.dataset.errorFor.length)) best = slot;
  }
  return best;
}

export function showProblems(form, data, fallback, focus = true) {
  const problems = (data && data.problems) || [];
  const status = form.querySelector('.form-status');
  const unplaced = [];
  let first = null;
  problems.forEach((problem, index) => {
    const slot = slotFor(form, problem.path);
    if (!slot) {
      unplaced.push(problem);
      return;
    }
    slot.id = slot.id || `err-${Date.now()}-${index}`;
    slot.textContent = problem.message;
    slot.hidden = false;
    const field = [...form.querySelectorAll('[data-path]')].find((el) => el.dataset.path === slot.dataset.errorFor);
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      const described = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (!described.includes(slot.id)) field.setAttribute('aria-describedby', [...described, slot.id].join(' '));
      first ??= field;
    }
  });
  if (status) {
    status.className = 'form-status error';
    status.textContent = (data && data.error) || fallback || 'That did not work.';
    if (unplaced.length) {
      const list = document.createElement('ul');
      for (const p of unplaced) {
        const item = document.createElement('li');
        item.textContent = p.path && p.path !== '(request)' ? `${p.path}: ${p.message}` : p.message;
        list.append(item);
      }
      status.append(list);
    }
  }
  if (first && focus) first.focus();
}

export async function post(url, values) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
    body: JSON.stringify(values),
    credentials: 'same-origin',
  });
  let data = null;
  try {
    data = await res.json();
  } catch (error) {
    data = null;
  }
  return { ok: res.ok, status: res.status, data };
}

async function signIn(email, password) {
  const res = await fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
    credentials: 'same-origin',
  });
  return res.ok;
}

// Mistakes the browser can see before anything is sent: an empty required field, an email that is
// not one. Each is said next to its field, in words for people (the API's validator speaks of ids
// and string lengths).
export function localProblems(form) {
  const problems = [];
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (el.disabled || el.type === 'hidden' || el.type === 'file' || !el.dataset.path) continue;
    const empty = String(el.value || '').trim() === '';
    if ((el.required || (el.dataset.onlyWhen && el.dataset.missing)) && empty) {
      problems.push({ path: el.dataset.path, message: el.dataset.missing || 'Fill this in.' });
    } else if (el.type === 'email' && !empty && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(el.value.trim())) {
      problems.push({ path: el.dataset.path, message: 'Not an email address: expected one like name@example.org.' });
    }
  }
  // A vote "with reservations" names the points they are about (the API would say "issue ids").
  const reserving = form.querySelector('input[name="verdict"][value="accept_with_reservations"]:checked');
  const points = form.querySelectorAll('input[name="points"]');
  if (reserving && points.length && !form.querySelectorAll('input[name="points"]:checked').length) {
    problems.push({ path: 'points', message: 'Choose the points your reservations are about.' });
  }
  return problems;
}

async function submit(form) {
  delete form.dataset.stale;
  clearErrors(form);
  const local = localProblems(form);
  if (local.length) {
    showProblems(form, { error: 'Check the marked fields.', problems: local });
    return;
  }
  for (const old of form.querySelectorAll('.invite-link')) old.hidden = true;
  const status = form.querySelector('.form-status');
  if (status) {
    status.className = 'form-status';
    status.textContent = 'Sending…';
  }
  let url = form.dataset.api;
  const method = form.dataset.method || 'POST';
  const headers = { 'X-CSRF-Token': csrf() };
  let body;
  if (form.dataset.body === 'file') {
    const input = form.querySelector('input[type=file]');
    const file = input && input.files[0];
    if (!file) {
      showProblems(form, { error: 'Choose a scenario file first.', problems: [] });
      return;
    }
    const most = Number(input.dataset.maxBytes || 0);
    if (most && file.size > most) {
      const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
      showProblems(form, {
        error: `${file.name} is ${mb(file.size)}; this service accepts files up to ${mb(most)} ` +
          '(whoever runs it can raise that with accord serve --max-body).',
        problems: [],
      });
      return;
    }
    body = await file.text();
    headers['Content-Type'] = file.name.endsWith('.json') ? 'application/json' : 'application/toml';
  } else if (form.dataset.convert) {
    // The form's own terms (ratings, or answers) become preferences on the server, by the library's
    // rule; then they are submitted to the API like any other preferences.
    const values = build(form);
    const converted = await post(form.dataset.convert, values);
    if (!converted.ok) {
      showProblems(form, converted.data);
      return;
    }
    body = JSON.stringify({ visibility: values.visibility, preferences: converted.data.preferences });
    headers['Content-Type'] = 'application/json';
  } else if (method !== 'DELETE') {
    body = JSON.stringify(build(form));
    headers['Content-Type'] = 'application/json';
  }
  if (form.dataset.ifMatch) headers['If-Match'] = form.dataset.ifMatch;
  const query = [...form.querySelectorAll('[data-query]')]
    .map((el) => `${el.dataset.query}=${el.checked ? el.dataset.on : el.dataset.off}`)
    .join('&');
  if (query) url += (url.includes('?') ? '&' : '?') + query;
  let res;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch (error) {
    showProblems(form, null, 'the service did not answer; check the connection and try again');
    return;
  }
  let data = null;
  try {
    data = await res.json();
  } catch (error) {
    data = null;
  }
  if (res.ok) {
    if (form.dataset.then === 'sign-in') {
      const values = build(form);
      await signIn(values.email, values.password);
    }
    if (form.dataset.show === 'link' && data && data.link) {
      const out = form.querySelector('.invite-link');
      out.hidden = false;
      const field = out.querySelector('input');
      field.value = location.origin + data.link;
      field.focus();
      field.select();
      if (status) status.textContent = `Invitation created (expires ${String(data.expires_at || '').slice(0, 16).replace('T', ' ')} UTC).`;
      return;
    }
    const next = form.dataset.next;
    if (next) {
      location.assign(next.replace('{id}', (data && data.id) || ''));
      return;
    }
    if (status) status.textContent = form.dataset.done || 'Done.';
    return;
  }
  if (res.status === 409 && data && data.current && data.current.preferences && form.dataset.convert) {
    // Preferences changed in another tab or by a colleague: beside each field, what is stored now.
    const version = data.current.version;
    if (version !== undefined) form.dataset.ifMatch = `"${version}"`;
    const differing = storedDifferences(form, data.current.preferences);
    // Kept until the next send: the live preview must not wipe what the notes say.
    form.dataset.stale = 'shown';
    showProblems(form, {
      error: `Someone else saved these preferences meanwhile (now version ${version}). ` +
        `${differing.length ? `${differing.length} field(s) differ from what you typed: each says what is stored now. ` : 'They hold the same numbers as yours. '}` +
        'What you typed is kept; send again to replace the stored version with it, or reload to take theirs.',
      problems: differing,
    }, undefined, false);
    return;
  }
  if (res.status === 409 && data && data.current) {
    // Someone else changed it meanwhile: keep what this user typed, say what is stored now.
    const version = data.current.version;
    if (version !== undefined) form.dataset.ifMatch = `"${version}"`;
    const current = data.current;
    const now = [
      current.verdict ? `the vote now stored is “${String(current.verdict).replace(/_/g, ' ')}”` : '',
      current.visibility ? `the stored preferences share “${current.visibility}”` : '',
      current.updated_at || current.cast_at ? `changed at ${String(current.updated_at || current.cast_at).slice(0, 16).replace('T', ' ')} UTC` : '',
    ].filter(Boolean).join('; ');
    showProblems(form, {
      error: `Someone else changed this meanwhile (now version ${version}${now ? `: ${now}` : ''}). ` +
        'What you typed is kept below; send again to replace the newer version with it, or reload to see it.',
      problems: data.problems || [],
    });
    return;
  }
  showProblems(form, data, `refused (${res.status})`);
}

const middle = (v) => (v && typeof v === 'object' ? (v.mode ?? (Number(v.low) + Number(v.high)) / 2) : v);

// Stored preferences in the rating form's terms (importance as a share of 100, ratings and walk-away
// out of 100), compared with the form: one note per field that differs.
export function storedDifferences(form, prefs) {
  const stored = {};
  const weights = prefs.weights || {};
  const total = Object.values(weights).reduce((sum, w) => sum + Number(middle(w)), 0) || 1;
  for (const [issue, w] of Object.entries(weights)) stored[`importance.${issue}`] = (100 * Number(middle(w))) / total;
  for (const [issue, options] of Object.entries(prefs.values || {})) {
    for (const [option, v] of Object.entries(options)) stored[`ratings.${issue}.${option}`] = 100 * Number(middle(v));
  }
  if (prefs.reservation !== undefined) stored.walk_away = 100 * Number(middle(prefs.reservation));
  const out = [];
  for (const el of form.querySelectorAll('input[data-number][data-path]')) {
    const path = el.dataset.path;
    if (!(path in stored)) continue;
    // The form writes numbers with two decimals: a difference below that is the same number.
    const now = Math.round(100 * stored[path]) / 100;
    const typed = Number(el.value);
    if (!Number.isFinite(typed) || el.value === '' || Math.abs(typed - stored[path]) > 0.006) {
      out.push({ path, message: `Stored meanwhile: ${now} (you typed ${el.value || 'nothing'}).` });
    }
  }
  const lines = prefs.red_lines || {};
  const issues = new Set([...form.querySelectorAll('input[data-list][data-path^="red_lines."]')].map((el) => el.dataset.path));
  for (const path of issues) {
    const issue = path.slice('red_lines.'.length);
    const theirs = new Set((lines[issue] || []).map((r) => (r && typeof r === 'object' ? r.option : r)));
    const mine = new Set([...form.querySelectorAll(`input[data-path="${path}"]:checked`)].map((el) => el.value));
    const same = theirs.size === mine.size && [...theirs].every((o) => mine.has(o));
    if (!same) {
      const names = [...form.querySelectorAll(`input[data-path="${path}"]`)]
        .filter((el) => theirs.has(el.value))
        .map((el) => (form.querySelector(`label[for="${el.id}"]`) || {}).textContent || el.value)
        .map((t) => t.replace(/ is a red line: never acceptable$/, ''));
      out.push({ path, message: `Red lines stored meanwhile: ${names.length ? names.join('; ') : 'none'}.` });
    }
  }
  return out;
}

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
  event.preventDefault();
  submit(form);
});

// A field that applies only when another one has a value (a delegate's party): disabled, and so
// neither sent nor checked, otherwise.
function applyConditions(root) {
  for (const el of root.querySelectorAll('[data-only-when]')) {
    const [name, wanted] = el.dataset.onlyWhen.split('=');
    const other = el.form && el.form.elements.namedItem(name);
    if (other) el.disabled = other.value !== wanted;
  }
}
applyConditions(document);
document.addEventListener('change', (event) => {
  if (event.target && event.target.form) applyConditions(event.target.form);
});

// Paired slider and number box: either one moves the other.
document.addEventListener('input', (event) => {
  const el = event.target;
  if (el.dataset && el.dataset.mirror) {
    const other = document.getElementById(el.dataset.mirror);
    if (other) other.value = el.value;
  }
});

// What draft preferences mean: the verdict on each published version (nothing is stored).
// Versions by their titles, and every score on the form's own 0–100 scale, so that "walk-away 55"
// in the preview is the 55 the delegate typed.
export const score100 = (x) => {
  const v = Math.round(1000 * Number(x)) / 10;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
};

function listed(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function renderPreview(out, preview) {
  const parts = [];
  const titles = Object.fromEntries((preview.texts || []).map((t) => [t.id, t.title]));
  const names = (ids) => listed(ids.map((id) => titles[id] || id));
  // A short headline first; the library's full sentence (every point named) on request.
  const bits = [];
  if ((preview.accepted || []).length) bits.push(`accept ${names(preview.accepted)}`);
  if ((preview.rejected || []).length) bits.push(`reject ${names(preview.rejected)}`);
  let headline = bits.length ? `With these, you would ${bits.join(' and ')}.` : '';
  if ((preview.undecided || []).length) headline += ` ${names(preview.undecided)}: depends on the open points.`;
  const summary = document.createElement('p');
  summary.className = 'summary';
  summary.textContent = headline.trim() || preview.summary || '';
  parts.push(summary);
  const walk = preview.reservation === undefined || preview.reservation === null ? '—' : score100(preview.reservation);
  const scale = document.createElement('p');
  scale.className = 'small muted';
  scale.textContent = `Scores out of 100 (0 = your worst package, 100 = your best); your walk-away point is ${walk}.`;
  parts.push(scale);
  const list = document.createElement('ul');
  list.className = 'preview-list';
  for (const t of preview.texts || []) {
    const item = document.createElement('li');
    item.className = t.acceptable === true ? 'yes' : t.acceptable === false ? 'no' : 'maybe';
    const head = document.createElement('strong');
    const verdict = t.acceptable === true ? 'you would accept' : t.acceptable === false ? 'you would reject' : 'depends on the open points';
    head.textContent = `${t.title}: ${verdict}`;
    const [low, high] = t.utility || [null, null];
    const score = low === null ? '—' : Math.abs(high - low) < 5e-4 ? score100(low) : `${score100(low)}–${score100(high)}`;
    item.append(head, ` · score ${score} (walk-away ${walk})`);
    if (t.acceptable !== true && t.because && t.because.length) {
      const why = document.createElement('span');
      why.className = 'why';
      const shown = t.because.slice(0, 2).map((b) => `${b.point}: ${b.why}`);
      const more = t.because.length > 2 ? ` and ${t.because.length - 2} more` : '';
      why.textContent = `because of ${shown.join('; ')}${more}`;
      item.append(why);
    }
    list.append(item);
  }
  parts.push(list);
  if (preview.summary) {
    const full = document.createElement('details');
    const label = document.createElement('summary');
    label.textContent = 'In one sentence, every point named';
    full.append(label, preview.summary);
    parts.push(full);
  }
  out.replaceChildren(...parts);
}

const previewForm = document.querySelector('form[data-preview]');
if (previewForm) {
  let timer = null;
  let asked = 0;
  const out = document.getElementById('preview');
  const ask = async () => {
    const mine = ++asked;
    const answer = await post(previewForm.dataset.preview, build(previewForm));
    if (mine !== asked) return; // a newer question is on its way
    const stale = previewForm.dataset.stale !== undefined;
    if (!stale) clearErrors(previewForm);
    const status = previewForm.querySelector('.form-status');
    if (!answer.ok) {
      showProblems(previewForm, answer.data, undefined, false);
      const note = document.createElement('p');
      note.textContent = 'Fix the marked fields to see what these numbers mean.';
      out.replaceChildren(note);
      return;
    }
    if (status && !stale) {
      status.className = 'form-status';
      status.textContent = '';
    }
    renderPreview(out, answer.data.preview);
  };
  previewForm.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  });
  ask();
}
