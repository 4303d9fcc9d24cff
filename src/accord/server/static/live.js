// Live updates: the service's per-viewer event stream says something changed that this viewer may
// see; the page fetches itself again and swaps in the parts marked data-live (forms being typed
// into are never replaced).

const nid = document.body.dataset.negotiation;
const names = (document.body.dataset.events || '').split(' ').filter(Boolean);
const note = document.getElementById('live-status');
let timer = null;
let running = false;

async function refresh() {
  if (running) {
    schedule();
    return;
  }
  running = true;
  try {
    const res = await fetch(location.href, { credentials: 'same-origin', headers: { 'X-Accord-Live': '1' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    let changed = 0;
    for (const part of document.querySelectorAll('[data-live][id]')) {
      const fresh = doc.getElementById(part.id);
      // A part holding forms (data-live-key) is replaced only when what it is about changed
      // (a new current version), never under someone's typing otherwise.
      const keyed = part.dataset.liveKey !== undefined;
      const stale = keyed ? fresh && fresh.dataset.liveKey !== part.dataset.liveKey : fresh && fresh.innerHTML !== part.innerHTML;
      if (stale) {
        part.replaceWith(document.adoptNode(fresh));
        changed += 1;
      }
    }
    if (changed && note) note.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } finally {
    running = false;
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 250);
}

if (nid && window.EventSource) {
  const stream = new EventSource(`/api/v1/negotiations/${encodeURIComponent(nid)}/events`);
  for (const name of names) {
    if (name === 'closed') {
      stream.addEventListener(name, () => {
        stream.close();
        if (note) note.textContent = 'You are no longer a member of this negotiation.';
      });
    } else {
      stream.addEventListener(name, schedule);
    }
  }
  window.addEventListener('pagehide', () => stream.close());
}
