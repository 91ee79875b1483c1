// The live board, as an enhancement: without it (or without EventSource) the page shows the board as loaded, and a
// reload shows the news. With it, the server says "this meeting changed" by a server-sent event, and the page reads
// itself again and swaps in the new board: the same markup, the same authorisation, no client-side rendering.
const board = document.getElementById('live-board');
const status = document.getElementById('live-status');

if (board && status && 'EventSource' in window) {
  let reading = false;
  let again = false;
  let connected = false;
  // A delivery (or its failure) is heard from the notifications service at the moment the meetings service, which the
  // board is read from, records it from the same message: a read can come first. While the board has not changed yet,
  // it is read again a second later, a few times.
  const recordedElsewhere = new Set(['delivered', 'not-delivered']);
  let retries = 0;

  const refresh = async (event) => {
    if (event && recordedElsewhere.has(event.data)) { retries = 5; }
    if (reading) { again = true; return; }
    reading = true;
    try {
      do {
        again = false;
        const response = await fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
        if (!response.ok) { return; }
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = page.getElementById('live-board');
        if (fresh && fresh.innerHTML !== board.innerHTML) {
          board.innerHTML = fresh.innerHTML;
          status.textContent = 'Updated at ' + new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) + '. Answers show here as they arrive.';
          retries = 0;
        } else if (fresh && retries > 0) {
          retries--;
          await new Promise((resolve) => { setTimeout(resolve, 1000); });
          again = true;
        }
      } while (again);
    } finally {
      reading = false;
    }
  };

  const source = new EventSource(board.dataset.changes);
  source.addEventListener('ready', () => {
    // Reconnected after the stream's end: a change in between would have been missed, so read once.
    if (connected) { refresh(); }
    connected = true;
    board.dataset.live = 'true';
    status.textContent = 'Answers show here as they arrive.';
  });
  source.addEventListener('changed', refresh);
}
