// Draws the home page's session timeline from the status endpoint's JSON, as the starter's
// <session-timeout-banner> reports it (its "session-timeout:update" event and its status
// property): the public contract, nothing from the server's internals. Times are shown in the
// browser's time zone and relative to now on the server's clock, never the browser's.
(function () {
  const section = document.getElementById("session-timeline");
  const banner = document.querySelector("session-timeout-banner");
  if (!section || !banner) {
    return;
  }
  const container = section.querySelector(".timeline");
  const SECOND = 1000;
  const MINUTE = 60 * SECOND;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  // The scale: distance from now, logarithmic beyond a minute, the same into the past and the
  // future, so that the next minutes get room and the hours still fit
  const SCALE = MINUTE;
  const INSET = 8;
  const TICKS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR,
    DAY, 2 * DAY, 7 * DAY, 30 * DAY];
  const COLORS = {
    created: "#667085", activity: "#667085", privileged: "#1f9d6c", reauthentication: "#7a4cc2",
    idle: "#3b6fd8", absolute: "#b42318",
  };
  const locale = document.documentElement.lang || undefined;
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", second: "2-digit" });
  const dayFormat = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short" });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let status = null;

  // Now on the server's clock: the banner counts the remaining time from the server's instants
  function serverNow() {
    const remaining = banner.remaining;
    if (status.expiresAt && typeof remaining === "number") {
      return Date.parse(status.expiresAt) - remaining;
    }
    return Date.parse(status.now);
  }

  function events(now) {
    const list = [
      { key: "created", title: "Session started", at: status.createdAt },
      { key: "activity", title: "Last activity", at: status.lastActivityAt },
      { key: "privileged", title: "Privileged operations until", at: status.privilegedUntil },
      { key: "reauthentication", title: "Sign in again", at: status.reauthenticateAt },
      { key: "idle", title: "Idle timeout", at: status.idleExpiresAt },
      { key: "absolute", title: "Absolute limit", at: status.absoluteExpiresAt },
    ];
    return list.filter((event) => event.at).map((event) => Object.assign(event, {
      time: Date.parse(event.at),
      ends: event.at === status.expiresAt && (event.key === "idle" || event.key === "absolute"),
      past: Date.parse(event.at) < now,
    }));
  }

  function relative(millis) {
    const past = millis < 0;
    let rest = Math.abs(millis);
    if (rest < SECOND) {
      return "now";
    }
    let text;
    if (rest < MINUTE) {
      text = plural(Math.round(rest / SECOND), "second");
    }
    else if (rest < HOUR) {
      text = plural(Math.round(rest / MINUTE), "minute");
    }
    else {
      const minutes = Math.round(rest / MINUTE);
      const days = Math.floor(minutes / (24 * 60));
      const hours = Math.floor((minutes % (24 * 60)) / 60);
      text = [days && plural(days, "day"), hours && plural(hours, "hour"), (!days && minutes % 60) && plural(minutes % 60, "minute")]
        .filter(Boolean).join(" ");
    }
    return past ? text + " ago" : "in " + text;
  }

  function plural(amount, unit) {
    return amount + " " + unit + ((amount === 1) ? "" : "s");
  }

  function localTime(time, now) {
    const sameDay = new Date(time).toDateString() === new Date(now).toDateString();
    return (sameDay ? "" : dayFormat.format(new Date(time)) + ", ") + timeFormat.format(new Date(time));
  }

  function tickLabel(millis) {
    if (millis < HOUR) {
      return "+" + millis / MINUTE + " min";
    }
    return (millis < DAY) ? "+" + millis / HOUR + " h" : "+" + millis / DAY + " d";
  }

  function element(tag, className, style, text) {
    const node = document.createElement(tag);
    node.className = className;
    Object.assign(node.style, style || {});
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  let drawn = null;

  function draw() {
    if (!status) {
      return;
    }
    const now = serverNow();
    const all = events(now).sort((a, b) => a.time - b.time);
    const start = Math.min(now, ...all.map((event) => event.time));
    const end = Math.max(now, ...all.map((event) => event.time));
    const width = container.clientWidth;
    const distance = (time) => Math.log1p(Math.abs(time - now) / SCALE);
    const total = distance(start) + distance(end) || 1;
    const px = (time) => {
      const fraction = (distance(start) + Math.sign(time - now) * distance(time)) / total;
      return Math.round(INSET + fraction * (width - 2 * INSET));
    };
    const expiresAt = status.expiresAt ? Date.parse(status.expiresAt) : end;
    const privilegedUntil = status.privilegedUntil ? Date.parse(status.privilegedUntil) : null;
    const texts = all.map((event) => [event.key, px(event.time), localTime(event.time, now), relative(event.time - now)]);
    const signature = JSON.stringify([width, px(now), timeFormat.format(new Date(now)), texts]);
    if (signature === drawn) {
      return;
    }
    drawn = signature;

    const chart = element("div", "timeline-chart");
    const trackTop = 34;
    const track = element("div", "timeline-track", { top: trackTop + "px" });
    chart.append(track);
    track.append(element("div", "timeline-segment past", { left: "0", width: px(now) + "px" }));
    track.append(element("div", "timeline-segment alive",
      { left: px(now) + "px", width: Math.max(0, px(expiresAt) - px(now)) + "px" }));
    if (expiresAt < end) {
      track.append(element("div", "timeline-segment beyond",
        { left: px(expiresAt) + "px", width: (width - px(expiresAt)) + "px" }));
    }
    if (privilegedUntil && privilegedUntil > now) {
      chart.append(element("div", "timeline-band",
        { top: (trackTop - 9) + "px", left: px(now) + "px", width: (px(privilegedUntil) - px(now)) + "px" }));
    }
    // Ticks at round distances from now, where they leave room for each other and the markers
    const taken = [px(now), ...all.map((event) => px(event.time))];
    for (const tick of TICKS) {
      if (now + tick >= end) {
        break;
      }
      const at = px(now + tick);
      if (taken.every((other) => Math.abs(other - at) >= 44)) {
        chart.append(element("div", "timeline-tick", { left: at + "px", top: (trackTop + 12) + "px" }, tickLabel(tick)));
        taken.push(at);
      }
    }
    chart.append(element("div", "timeline-now", { left: (px(now) - 1) + "px", top: "18px", height: (trackTop - 10) + "px" }));
    const nowLabel = element("div", "timeline-now-label", { top: "0" }, "now · " + timeFormat.format(new Date(now)));
    chart.append(nowLabel);

    // Labels below the track, each in the first lane where it fits
    const labelsTop = trackTop + 40;
    const placed = [];
    for (const event of all) {
      const label = element("div", "timeline-label");
      label.dataset.event = event.key;
      label.style.setProperty("--color", COLORS[event.key]);
      const time = element("time", "", null, localTime(event.time, now));
      time.dateTime = event.at;
      const when = element("span", "");
      when.append(time, document.createTextNode(" · " + relative(event.time - now)));
      const title = element("strong", "", null, event.title);
      if (event.ends) {
        title.append(" ", element("span", "ends-note", null, "session ends"));
      }
      label.append(title, when);
      chart.append(label);
      placed.push({ event, label });
    }
    container.replaceChildren(chart);
    const nowWidth = nowLabel.offsetWidth;
    nowLabel.style.left = Math.min(Math.max(0, px(now) - nowWidth / 2), width - nowWidth) + "px";
    const lanes = [];
    const laneHeight = Math.max(...placed.map(({ label }) => label.offsetHeight)) + 8;
    for (const { event, label } of placed) {
      const at = px(event.time);
      const labelWidth = label.offsetWidth;
      const right = at + labelWidth > width;
      const left = right ? at - labelWidth + 2 : at - 1;
      let lane = lanes.findIndex((edge) => edge + 16 <= left);
      if (lane < 0) {
        lane = lanes.length;
        lanes.push(0);
      }
      lanes[lane] = left + labelWidth;
      const top = labelsTop + lane * laneHeight;
      label.classList.toggle("right", right);
      label.style.left = left + "px";
      label.style.top = top + "px";
      const leader = element("div", "timeline-leader",
        { left: at + "px", top: (trackTop + 4) + "px", height: (top - trackTop - 4) + "px" });
      leader.style.setProperty("--color", COLORS[event.key]);
      const marker = element("div", "timeline-marker" + (event.ends ? " ends" : ""),
        { left: at + "px", top: (trackTop - 3) + "px" });
      marker.style.setProperty("--color", COLORS[event.key]);
      chart.insertBefore(leader, chart.firstChild);
      chart.append(marker);
    }
    chart.style.height = (labelsTop + lanes.length * laneHeight + 4) + "px";
    const legend = element("p", "timeline-caption");
    for (const [swatch, text] of [["past", "past"], ["alive", "ahead, without further activity"],
      ["beyond", "reached only with activity"], ["band", "privileged operations need no new sign-in"]]) {
      legend.append(element("span", "timeline-swatch " + swatch), text + "  ");
    }
    legend.append(element("br", ""), "Times in your time zone (" + zone + ")."
      + (status.reauthenticateAt ? "" : " Re-authentication is off for your policy.")
      + " The scale stretches the next minutes and compresses the hours.");
    container.append(legend);
  }

  function update(next) {
    status = next;
    draw();
  }

  banner.addEventListener("session-timeout:update", (event) => update(event.detail.status));
  if (banner.status) {
    update(banner.status);
  }
  setInterval(draw, SECOND);
  window.addEventListener("resize", draw);
})();
