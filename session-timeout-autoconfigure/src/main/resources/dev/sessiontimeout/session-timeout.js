/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/*
 * session-timeout's countdown banner, the custom element <session-timeout-banner>. The
 * starter serves this file at /session-timeout/session-timeout.js; it has no dependencies
 * and no build step. Attributes, events, CSS custom properties and parts are documented
 * in the README, "Countdown banner".
 *
 * Time: the remaining time is the server's expiresAt - now, less the local monotonic time
 * (performance.now()) since the request was sent. The local wall clock (Date.now()) is never
 * compared with the server's instants, so a skewed clock changes nothing ({time} is the local
 * clock's now plus that remaining time, what the local clock shows at the end); a laptop that
 * slept is noticed (a late timer, visibilitychange, focus, pageshow, online) and asks the
 * server again.
 */
(() => {
	"use strict";

	const TAG = "session-timeout-banner";
	if (!window.customElements || window.customElements.get(TAG)) {
		return;
	}

	const SCRIPT_PATH = "/session-timeout/session-timeout.js";
	const CONTEXT_PATH = contextPath(document.currentScript);
	const SECOND = 1000;
	const MINUTE = 60 * SECOND;
	const HOUR = 60 * MINUTE;
	// A timer this late means the machine slept or the tab was frozen: ask the server again.
	const LATE_TIMER = 5 * SECOND;
	// Ask the server again this long before the warning, so that it starts on fresh news.
	const WARNING_CHECK_LEAD = 2 * SECOND;
	// Never ask again sooner than this when the server says the end has not come yet.
	const MINIMUM_RECHECK = SECOND;

	const DEFAULTS = {
		"status-url": CONTEXT_PATH + "/session/status",
		"expired-url": CONTEXT_PATH + "/login?expired={reason}",
		"warn-before": "2m",
		"poll-interval": "30s",
		"text-checking": "Checking your session…",
		"text-active": "Your session ends in {remaining}.",
		"text-warning": "You will be signed out in {remaining}.",
		"text-warning-absolute": "Your session reaches its time limit in {remaining}. Save your work.",
		"text-button": "Stay signed in",
		"text-extended": "You are still signed in. Your session now ends at {time}.",
	};

	// Styles through a constructed style sheet where the browser has them (no inline <style>,
	// so a Content-Security-Policy without 'unsafe-inline' styles is fine), else a <style>
	const CSS = `
:host {
	display: block;
	font: var(--session-timeout-font, inherit);
	color: var(--session-timeout-color, inherit);
}
:host([hidden]),
:host([data-state="unlimited"]) {
	display: none;
}
[part="banner"] {
	display: flex;
	flex-wrap: wrap;
	align-items: center;
	justify-content: space-between;
	gap: .5rem 1rem;
	padding: var(--session-timeout-padding, .6rem 1rem);
	border: var(--session-timeout-border, 1px solid transparent);
	border-radius: var(--session-timeout-radius, 6px);
	background: var(--session-timeout-background, #e8f0fe);
}
:host([data-state="warning"]) [part="banner"],
:host([data-state="ending"]) [part="banner"] {
	background: var(--session-timeout-warning-background, #fff1c2);
	color: var(--session-timeout-warning-color, inherit);
	border: var(--session-timeout-warning-border, 1px solid transparent);
}
[part="countdown"] {
	font-variant-numeric: tabular-nums;
	font-weight: var(--session-timeout-countdown-weight, 600);
}
[part="button"] {
	font: inherit;
	cursor: pointer;
	padding: .3rem .9rem;
	border: var(--session-timeout-button-border, 1px solid currentColor);
	border-radius: var(--session-timeout-button-radius, 4px);
	background: var(--session-timeout-button-background, #fff);
	color: var(--session-timeout-button-color, inherit);
}
[part="button"]:focus-visible {
	outline: 2px solid var(--session-timeout-focus-color, #1a56db);
	outline-offset: 2px;
}
[part="button"][hidden] {
	display: none;
}
.announcement {
	position: absolute;
	width: 1px;
	height: 1px;
	overflow: hidden;
	clip: rect(0 0 0 0);
	white-space: nowrap;
}
`;
	let sheet = null;
	try {
		sheet = new CSSStyleSheet();
		sheet.replaceSync(CSS);
	}
	catch (ex) {
		sheet = null;
	}

	class SessionTimeoutBanner extends HTMLElement {

		static get observedAttributes() {
			return Object.keys(DEFAULTS);
		}

		constructor() {
			super();
			this._root = this.attachShadow({ mode: "open" });
			if (sheet && "adoptedStyleSheets" in this._root) {
				this._root.adoptedStyleSheets = [sheet];
			}
			else {
				this._root.append(create("style", {}, CSS));
			}
			this._message = create("span", { part: "message", role: "timer", "aria-live": "off" });
			this._button = create("button", { part: "button", type: "button", hidden: "" });
			this._announcement = create("span",
				{ class: "announcement", role: "status", "aria-live": "polite", "aria-atomic": "true" });
			this._root.append(create("div", { part: "banner" }, this._message, this._button, this._announcement));
			this._button.addEventListener("click", () => this.staySignedIn());
			// The last status adopted, and what it means on the local monotonic clock
			this._status = null;
			this._serverNow = 0;
			this._expiresAt = null;
			this._base = 0;
			this._requests = 0;
			this._answered = 0;
			this._inFlight = null;
			this._followUp = null;
			this._lastCheck = -Infinity;
			this._timer = 0;
			this._expectedTick = 0;
			this._endCheckedFor = null;
			this._warningCheckedFor = null;
			this._state = "checking";
			this._messageKey = null;
			this._ended = false;
			this._channel = null;
			this._onWake = () => this.check();
			this._onVisibility = () => {
				if (document.visibilityState === "visible") {
					this.check();
				}
			};
			this._onPageShow = (event) => {
				if (event.persisted) {
					this.check();
				}
			};
			this._onStorage = (event) => {
				if (event.key === this._channelName() && event.newValue) {
					try {
						this._receive(JSON.parse(event.newValue));
					}
					catch (ex) {
						// not ours
					}
				}
			};
		}

		connectedCallback() {
			this._ended = false;
			this._openChannel();
			document.addEventListener("visibilitychange", this._onVisibility);
			window.addEventListener("focus", this._onWake);
			window.addEventListener("online", this._onWake);
			window.addEventListener("pageshow", this._onPageShow);
			this._render();
			this.check();
		}

		disconnectedCallback() {
			clearTimeout(this._timer);
			this._timer = 0;
			this._closeChannel();
			document.removeEventListener("visibilitychange", this._onVisibility);
			window.removeEventListener("focus", this._onWake);
			window.removeEventListener("online", this._onWake);
			window.removeEventListener("pageshow", this._onPageShow);
		}

		attributeChangedCallback(name, oldValue, newValue) {
			if (oldValue === newValue || !this.isConnected) {
				return;
			}
			if (name === "status-url") {
				this._closeChannel();
				this._openChannel();
				this.check();
				return;
			}
			this._messageKey = null;
			this._render();
		}

		/**
		 * The status endpoint's last answer (its JSON as an object), or null before the first.
		 */
		get status() {
			return this._status;
		}

		/**
		 * Milliseconds until the session ends, by the server's clock; null before the first
		 * answer or when no clock limits the session.
		 */
		get remaining() {
			if (this._expiresAt === null) {
				return null;
			}
			return this._expiresAt - this._serverNow - (performance.now() - this._base);
		}

		/**
		 * Ask the status endpoint now, passively (it does not extend the session). A check
		 * asked for while another is under way follows it, so its answer is never older than
		 * the call.
		 * @return {Promise<void>} settles when the answer has been handled
		 */
		check() {
			if (this._inFlight) {
				if (!this._followUp) {
					this._followUp = this._inFlight.then(() => {
						this._followUp = null;
						return this.check();
					});
				}
				return this._followUp;
			}
			return this._poll();
		}

		/**
		 * Ask the status endpoint unless a request is already under way.
		 */
		_poll() {
			if (!this._inFlight) {
				this._inFlight = this._request("GET").finally(() => {
					this._inFlight = null;
				});
			}
			return this._inFlight;
		}

		/**
		 * Extend the session: a POST to the status endpoint, which counts as activity.
		 * @return {Promise<void>} settles when the answer has been handled
		 */
		staySignedIn() {
			this._button.disabled = true;
			return this._request("POST").finally(() => {
				this._button.disabled = false;
			});
		}

		async _request(method) {
			const sequence = ++this._requests;
			const headers = { "Accept": "application/json" };
			if (method === "GET") {
				headers["Session-Activity"] = "passive";
			}
			else {
				const token = document.querySelector('meta[name="_csrf"]');
				const header = document.querySelector('meta[name="_csrf_header"]');
				if (token && token.content) {
					headers[(header && header.content) || "X-CSRF-TOKEN"] = token.content;
				}
			}
			this._lastCheck = performance.now();
			const sentAt = performance.now();
			let response;
			let body;
			try {
				response = await fetch(this._attribute("status-url"),
					{ method, headers, credentials: "same-origin", cache: "no-store", redirect: "manual" });
				body = (response.status === 401 || response.ok) ? await response.json().catch(() => ({})) : null;
			}
			catch (error) {
				this._failed(error);
				return;
			}
			if (sequence < this._answered) {
				return;
			}
			this._answered = sequence;
			if (response.status === 401 || response.type === "opaqueredirect") {
				this._end((body && typeof body.reason === "string" && body.reason) || "invalid", "server");
				return;
			}
			if (!response.ok || !body || typeof body.now !== "string") {
				this._failed(new Error(method + " " + this._attribute("status-url") + " answered " + response.status));
				return;
			}
			if (this._adopt(body, sentAt, "server")) {
				this._send({ type: "status", status: body, age: performance.now() - sentAt });
				if (method === "POST") {
					this._announce(this._format(this._attribute("text-extended"), words(this.remaining)));
					this._dispatch("extended", { status: body });
				}
			}
		}

		/**
		 * Take a status as the truth unless it is older news than the one we have.
		 * @param status the status endpoint's JSON
		 * @param base the local monotonic time at which the server's "now" held
		 * @param source "server" or "tab"
		 * @return whether the status was adopted
		 */
		_adopt(status, base, source) {
			const serverNow = Date.parse(status.now);
			if (Number.isNaN(serverNow) || (this._status && serverNow < this._serverNow)) {
				return false;
			}
			const expiresAt = status.expiresAt ? Date.parse(status.expiresAt) : null;
			this._status = Object.freeze(Object.assign({}, status));
			this._serverNow = serverNow;
			this._expiresAt = Number.isNaN(expiresAt) ? null : expiresAt;
			this._base = base;
			this._endCheckedFor = null;
			this._ended = false;
			this._reflect("data-expires-at", status.expiresAt);
			this._reflect("data-idle-expires-at", status.idleExpiresAt);
			this._reflect("data-absolute-expires-at", status.absoluteExpiresAt);
			this._reflect("data-ends-by", this._endsBy());
			this._dispatch("update", { status: this._status, remaining: this.remaining, source });
			this._render();
			return true;
		}

		_failed(error) {
			this._dispatch("error", { error });
			if (this._state === "ending") {
				// The end came and the server cannot say why: the deadline that passed says it.
				this._end(this._endsBy() || "invalid", "client");
			}
		}

		_end(reason, source) {
			if (this._ended) {
				return;
			}
			this._ended = true;
			clearTimeout(this._timer);
			this._setState("ending");
			this._send({ type: "ended", reason });
			const url = this._attribute("expired-url").split("{reason}").join(encodeURIComponent(reason));
			if (this._dispatch("expired", { reason, url, source }, true)) {
				window.location.assign(url);
			}
		}

		/**
		 * Which clock ends the session first: "idle" or "absolute" (null when neither limits it).
		 * On a tie it is the absolute one, as the server says, and no activity moves it.
		 */
		_endsBy() {
			const status = this._status;
			if (!status || !status.expiresAt) {
				return null;
			}
			return (status.expiresAt === status.absoluteExpiresAt) ? "absolute" : "idle";
		}

		_render() {
			clearTimeout(this._timer);
			this._timer = 0;
			if (!this.isConnected || this._ended) {
				return;
			}
			const now = performance.now();
			if (this._expectedTick && now - this._expectedTick > LATE_TIMER) {
				this._poll();
			}
			this._expectedTick = 0;
			const remaining = this.remaining;
			if (this._status === null) {
				this._setState("checking");
				this._show("text-checking", null);
				this._schedule(this._pollDelay(now));
				return;
			}
			if (remaining === null) {
				// No clock limits the session: nothing to count down
				this._setState("unlimited");
				this._schedule(this._pollDelay(now));
				return;
			}
			const warnBefore = this._attributeDuration("warn-before", 2 * MINUTE);
			if (remaining <= 0) {
				this._setState("ending");
				this._show("text-checking", null);
				const wait = this._lastCheck + MINIMUM_RECHECK - now;
				if (this._endCheckedFor !== this._status && wait <= 0) {
					// The end has come by the local count: the server says whether and why
					this._endCheckedFor = this._status;
					this._poll();
				}
				this._schedule(Math.max(wait, MINIMUM_RECHECK));
				return;
			}
			const absolute = this._endsBy() === "absolute";
			const warning = remaining <= warnBefore;
			if (warning && this._state !== "warning") {
				this._announce(this._format(this._attribute(absolute ? "text-warning-absolute" : "text-warning"),
					words(remaining), this._status));
				this._setState("warning");
				this._dispatch("warning", { status: this._status, remaining, endsBy: this._endsBy() });
			}
			else if (!warning) {
				this._setState("active");
			}
			this._show(warning ? (absolute ? "text-warning-absolute" : "text-warning") : "text-active", remaining);
			// Stay signed in cannot move an absolute deadline
			this._button.hidden = absolute;
			let delay = Math.min(remaining % SECOND || SECOND, remaining) + 5;
			const untilWarningCheck = remaining - warnBefore - WARNING_CHECK_LEAD;
			if (!warning && untilWarningCheck <= 0 && this._warningCheckedFor !== this._status.expiresAt) {
				this._warningCheckedFor = this._status.expiresAt;
				this._poll();
			}
			delay = Math.min(delay, this._pollDelay(now));
			this._schedule(delay);
		}

		_pollDelay(now) {
			const interval = this._attributeDuration("poll-interval", 30 * SECOND);
			const delay = this._lastCheck + interval - now;
			if (delay <= 0) {
				this._poll();
				return interval;
			}
			return delay;
		}

		_schedule(delay) {
			this._expectedTick = performance.now() + delay;
			this._timer = setTimeout(() => this._render(), Math.max(delay, 50));
		}

		_setState(state) {
			this._state = state;
			this._reflect("data-state", state);
		}

		/**
		 * Show a text attribute, its {remaining} as a countdown part and its {time} as the local
		 * time of the end. The nodes are rebuilt only when the text changes, and the countdown
		 * is updated in place.
		 */
		_show(name, remaining) {
			const template = this._attribute(name);
			const key = name + "\u0000" + template + "\u0000" + (this._status ? this._status.expiresAt : "");
			if (this._messageKey !== key) {
				this._messageKey = key;
				const nodes = [];
				for (const piece of template.split(/(\{remaining\}|\{time\})/)) {
					if (piece === "{remaining}") {
						nodes.push(create("span", { part: "countdown" }));
					}
					else if (piece === "{time}") {
						nodes.push(document.createTextNode(this._time()));
					}
					else if (piece) {
						nodes.push(document.createTextNode(piece));
					}
				}
				this._message.replaceChildren(...nodes);
				this._button.textContent = this._attribute("text-button");
			}
			for (const countdown of this._message.querySelectorAll('[part="countdown"]')) {
				countdown.textContent = (remaining !== null) ? clock(remaining) : "";
			}
		}

		_format(template, remainingWords) {
			return template.split("{remaining}").join(remainingWords).split("{time}").join(this._time());
		}

		/**
		 * The end as the browser's clock will show it then: its now plus the server's remaining
		 * time (the server's instant would be off by any skew between the two clocks).
		 */
		_time() {
			const remaining = this.remaining;
			if (remaining === null) {
				return "";
			}
			const options = { hour: "numeric", minute: "2-digit" };
			let format;
			try {
				format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, options);
			}
			catch (ex) {
				// A language that is no BCP 47 tag ("en_US"): the browser's own locale
				format = new Intl.DateTimeFormat(undefined, options);
			}
			return format.format(new Date(Date.now() + Math.max(0, remaining)));
		}

		_announce(text) {
			this._announcement.textContent = text;
		}

		_dispatch(name, detail, cancelable = false) {
			return this.dispatchEvent(new CustomEvent("session-timeout:" + name,
				{ detail, bubbles: true, composed: true, cancelable }));
		}

		_reflect(name, value) {
			if (value === null || value === undefined) {
				this.removeAttribute(name);
			}
			else if (this.getAttribute(name) !== value) {
				this.setAttribute(name, value);
			}
		}

		_attribute(name) {
			const value = this.getAttribute(name);
			return (value !== null && value !== "") ? value : DEFAULTS[name];
		}

		_attributeDuration(name, fallback) {
			const millis = duration(this.getAttribute(name));
			return (millis !== null) ? Math.max(millis, (name === "poll-interval") ? SECOND : 0) : fallback;
		}

		// Keeping the tabs of one session in step: BroadcastChannel, else storage events

		_channelName() {
			return "session-timeout:" + new URL(this._attribute("status-url"), document.baseURI).href;
		}

		_openChannel() {
			if (typeof BroadcastChannel === "function") {
				this._channel = new BroadcastChannel(this._channelName());
				this._channel.onmessage = (event) => this._receive(event.data);
			}
			else {
				window.addEventListener("storage", this._onStorage);
			}
		}

		_closeChannel() {
			if (this._channel) {
				this._channel.close();
				this._channel = null;
			}
			window.removeEventListener("storage", this._onStorage);
		}

		_send(message) {
			if (this._channel) {
				this._channel.postMessage(message);
				return;
			}
			try {
				const stamped = Object.assign({ nonce: Math.random() }, message);
				window.localStorage.setItem(this._channelName(), JSON.stringify(stamped));
			}
			catch (ex) {
				// No storage: each tab keeps to its own polling
			}
		}

		_receive(message) {
			if (!message || typeof message !== "object") {
				return;
			}
			if (message.type === "status" && message.status && typeof message.status.now === "string") {
				const age = Math.max(0, Number(message.age) || 0);
				this._adopt(message.status, performance.now() - age, "tab");
			}
			else if (message.type === "ended") {
				// Another tab saw the end: ask the server, which knows why
				this.check();
			}
		}

	}

	function create(tag, attributes, ...children) {
		const element = document.createElement(tag);
		for (const [name, value] of Object.entries(attributes)) {
			element.setAttribute(name, value);
		}
		element.append(...children);
		return element;
	}

	function contextPath(script) {
		if (!script || !script.src) {
			return "";
		}
		const path = new URL(script.src, document.baseURI).pathname;
		return path.endsWith(SCRIPT_PATH) ? path.slice(0, -SCRIPT_PATH.length) : "";
	}

	/**
	 * Parse a duration: seconds ("120", "1.5"), or amounts with units ("2m", "90s", "1h30m",
	 * "500ms").
	 * @return {number|null} milliseconds, or null if it is not a duration
	 */
	function duration(text) {
		if (text === null || text === undefined) {
			return null;
		}
		const value = String(text).trim().toLowerCase();
		if (/^\d+(\.\d+)?$/.test(value)) {
			return Number(value) * SECOND;
		}
		const units = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: 24 * HOUR };
		let total = 0;
		let rest = value;
		const part = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*/;
		if (!part.test(rest)) {
			return null;
		}
		while (rest) {
			const match = part.exec(rest);
			if (!match) {
				return null;
			}
			total += Number(match[1]) * units[match[2]];
			rest = rest.slice(match[0].length);
		}
		return total;
	}

	/**
	 * Show remaining milliseconds as a countdown, rounded up to the second: "14:59", "1:02:03".
	 */
	function clock(millis) {
		const seconds = Math.max(0, Math.ceil(millis / SECOND));
		const hours = Math.floor(seconds / 3600);
		const minutes = Math.floor((seconds % 3600) / 60);
		const rest = String(seconds % 60).padStart(2, "0");
		return (hours > 0) ? hours + ":" + String(minutes).padStart(2, "0") + ":" + rest : minutes + ":" + rest;
	}

	/**
	 * Say remaining milliseconds in words for screen readers: "2 minutes", "45 seconds".
	 */
	function words(millis) {
		const seconds = Math.max(0, Math.ceil(millis / SECOND));
		if (seconds < 60) {
			return seconds + ((seconds === 1) ? " second" : " seconds");
		}
		const minutes = Math.round(seconds / 60);
		return minutes + ((minutes === 1) ? " minute" : " minutes");
	}

	window.customElements.define(TAG, SessionTimeoutBanner);
})();
