// The waiting-room display: live calls by server-sent events, polling when the
// stream is unavailable, a highlight and a gong for each new call.
(function () {
  "use strict";
  const main = document.querySelector(".display__main");
  if (!main) return;
  const body = main.querySelector("[data-calls]");
  const empty = main.querySelector("[data-empty]");
  const status = main.querySelector("[data-connection]");
  const soundButton = main.querySelector("[data-sound]");
  const shown = parseInt(main.dataset.shown, 10) || 8;
  const pollMs = parseInt(main.dataset.pollMs, 10) || 2000;
  let lastId = parseInt(main.dataset.lastId, 10) || 0;
  // Ids already shown: the server re-sends recent calls (a lower id can commit late).
  const seen = new Set(Array.from(main.querySelectorAll("[data-calls] tr"), (row) => Number(row.dataset.id)));
  let soundOn = false;
  const gong = new Audio(main.dataset.gongUrl);
  gong.preload = "auto";

  soundButton.addEventListener("click", () => {
    soundOn = !soundOn;
    soundButton.setAttribute("aria-pressed", String(soundOn));
    if (soundOn) gong.play().catch(() => {});
  });

  function ring() {
    if (!soundOn) return;
    gong.currentTime = 0;
    gong.play().catch(() => {});
  }

  function show(call) {
    if (seen.has(call.id)) return; // already shown (reconnects and polls may repeat)
    seen.add(call.id);
    lastId = Math.max(lastId, call.id);
    body.querySelectorAll("tr").forEach((row) => {
      if (row.dataset.ticket === call.ticket) row.remove();
    });
    const row = document.createElement("tr");
    row.dataset.id = call.id;
    row.dataset.ticket = call.ticket;
    row.className = "is-new";
    const ticket = document.createElement("td");
    ticket.className = "display__ticket";
    ticket.dir = "ltr"; // "A-012" stays readable on a right-to-left display
    ticket.textContent = call.ticket;
    const counter = document.createElement("td");
    counter.className = "display__counter";
    counter.textContent = call.counter;
    row.append(ticket, counter);
    body.prepend(row);
    while (body.children.length > shown) body.lastElementChild.remove();
    empty.hidden = true;
    setTimeout(() => row.classList.remove("is-new"), 8000);
    ring();
  }

  // Polling fallback, used while the event stream is down.
  let pollTimer = null;
  function poll() {
    fetch(main.dataset.callsUrl + "?after=" + lastId, { cache: "no-store" })
      .then((response) => (response.ok ? response.json() : { calls: [] }))
      .then((data) => data.calls.forEach(show))
      .catch(() => {});
  }
  function startPolling() {
    if (pollTimer === null) pollTimer = setInterval(poll, pollMs);
  }
  function stopPolling() {
    if (pollTimer !== null) clearInterval(pollTimer);
    pollTimer = null;
  }

  let source = null;
  function connect() {
    if (!window.EventSource) {
      startPolling();
      return;
    }
    source = new EventSource(main.dataset.eventsUrl + "?after=" + lastId);
    source.addEventListener("open", () => {
      status.textContent = "";
      stopPolling();
    });
    source.addEventListener("call", (event) => show(JSON.parse(event.data)));
    source.addEventListener("error", () => {
      status.textContent = "…";
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. an error page during a restart): poll, and try again.
        startPolling();
        setTimeout(connect, 5000);
      }
    });
  }
  connect();

  // Rotate the hints (every language in turn).
  const hints = Array.from(main.querySelectorAll("[data-hints] li"));
  let current = 0;
  if (hints.length > 1) {
    setInterval(() => {
      hints[current].hidden = true;
      current = (current + 1) % hints.length;
      hints[current].hidden = false;
    }, 8000);
  }
})();
