// Calls the account export API the way a script would (fetch, Accept: application/json), and
// shows the answer: the JSON while the sign-in is recent enough, else the 401 problem with its
// RFC 9470 WWW-Authenticate challenge.
(function () {
  const button = document.getElementById("export");
  const result = document.getElementById("export-result");
  if (!button || !result) {
    return;
  }

  function pretty(body) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch (ex) {
      return body;
    }
  }

  button.addEventListener("click", () => {
    fetch("/api/account/export", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then((response) => response.text().then((body) => {
        const challenge = response.headers.get("WWW-Authenticate");
        result.textContent = `HTTP ${response.status} ${response.headers.get("Content-Type") || ""}\n`
          + (challenge ? `WWW-Authenticate: ${challenge}\n` : "") + "\n" + pretty(body);
        result.hidden = false;
      }));
  });
})();
