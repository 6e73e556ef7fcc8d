// The "Your sessions" page: lists the user's sessions through the starter's self-service
// endpoint (GET, passive: reading the list keeps no session alive), and ends one of them,
// or all but this browser's, with a DELETE that carries the CSRF token of the page.
(function () {
  const table = document.getElementById("sessions");
  const others = document.getElementById("sign-out-others");
  const result = document.getElementById("sessions-result");
  if (!table || !others || !result) {
    return;
  }
  const path = table.dataset.path;
  const rows = table.querySelector("tbody");
  const csrf = {
    [document.querySelector("meta[name=_csrf_header]").content]: document.querySelector("meta[name=_csrf]").content
  };

  function time(instant) {
    return instant ? new Date(instant).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "never";
  }

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function render(listing) {
    rows.replaceChildren(...listing.sessions.map((session) => {
      const row = document.createElement("tr");
      row.dataset.id = session.id;
      row.className = session.current ? "current" : "other";
      const device = cell(session.device);
      if (session.current) {
        const mark = document.createElement("strong");
        mark.textContent = " (this browser)";
        device.append(mark);
      }
      row.append(device, cell(time(session.createdAt)), cell(time(session.lastActivityAt)),
        cell(time(session.expiresAt)));
      const action = document.createElement("td");
      if (!session.current) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "sign-out";
        button.textContent = "Sign out";
        button.addEventListener("click", () => end(`${path}/${encodeURIComponent(session.id)}`,
          () => `Signed out of ${session.device}.`));
        action.append(button);
      }
      row.append(action);
      return row;
    }));
    others.disabled = listing.sessions.length < 2;
    table.dataset.loaded = String(listing.sessions.length);
  }

  function load() {
    return fetch(path, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) {
          throw new Error(`HTTP ${response.status}`);
        }
        return response.json();
      })
      .then(render)
      .catch((failure) => {
        result.textContent = `Your sessions could not be read (${failure.message}).`;
      });
  }

  function end(url, message) {
    return fetch(url, { method: "DELETE", headers: { "Accept": "application/json", ...csrf }, credentials: "same-origin" })
      .then((response) => (response.status === 204 ? Promise.resolve({}) : response.json().catch(() => ({})))
        .then((body) => {
          result.textContent = response.ok ? message(body) : `Not signed out (HTTP ${response.status}).`;
        }))
      .then(load);
  }

  others.addEventListener("click", () => end(path, (body) =>
    `Signed out everywhere else: ${body.ended} ${body.ended === 1 ? "session" : "sessions"}.`));
  load();
})();
