// Countdown banner for session-timeout: reads the passive status endpoint (it never extends the
// session), warns before the session ends, and offers "Stay signed in", which POSTs to it.
(function () {
  const statusUrl = "/session/status";
  const warnBeforeMillis = 2 * 60 * 1000;
  const pollMillis = 3000;
  const banner = document.getElementById("session-banner");
  if (!banner) {
    return;
  }
  const text = banner.querySelector(".countdown");
  const button = banner.querySelector("button");
  const csrfToken = document.querySelector("meta[name='_csrf']")?.content;
  const csrfHeader = document.querySelector("meta[name='_csrf_header']")?.content;
  let endsAt = null;

  function format(millis) {
    const seconds = Math.max(0, Math.floor(millis / 1000));
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
  }

  function signedOut(response) {
    return response.json().catch(() => ({})).then((problem) => {
      window.location.assign("/login?expired=" + encodeURIComponent(problem.reason || "invalid"));
    });
  }

  function show(status) {
    // Count down on the server's clock: its "now" and the end it reports, then local time since.
    const remaining = Date.parse(status.expiresAt) - Date.parse(status.now);
    endsAt = performance.now() + remaining;
    banner.dataset.expiresAt = status.expiresAt;
    banner.dataset.idleExpiresAt = status.idleExpiresAt || "";
    render();
  }

  function render() {
    if (endsAt === null) {
      return;
    }
    const remaining = endsAt - performance.now();
    const warning = remaining <= warnBeforeMillis;
    banner.classList.toggle("warning", warning);
    text.textContent = (warning ? "You will be signed out in " : "Signed in; session ends in ") + format(remaining);
  }

  function request(method) {
    const headers = { "Accept": "application/json" };
    if (method === "POST" && csrfToken && csrfHeader) {
      headers[csrfHeader] = csrfToken;
    }
    return fetch(statusUrl, { method, headers, credentials: "same-origin" }).then((response) => {
      if (response.status === 401) {
        return signedOut(response);
      }
      if (response.ok) {
        return response.json().then(show);
      }
    });
  }

  button.addEventListener("click", () => request("POST"));
  request("GET");
  setInterval(() => request("GET"), pollMillis);
  setInterval(render, 250);
})();
