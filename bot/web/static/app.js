// The web chat's page script: talks to /api with fetch, renders every text with textContent.
// While the page is open and shown it polls /api/updates for notices (reminders, broadcasts)
// the dispatcher writes into the conversation: a light read every few seconds, at once when the
// tab is shown again, paused while hidden, slower after errors.
"use strict";

(() => {
  const ui = JSON.parse(document.getElementById("ui").textContent);
  const log = document.getElementById("log");
  const notice = document.getElementById("notice");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const DEEP_LINKS = new Set(["check", "area", "faq"]);
  const MAX_BACKOFF_MS = 5 * 60 * 1000;
  const NEAR_BOTTOM_PX = 80;
  let csrf = null;
  let busy = false;
  let cursor = 0; // the newest change (seq) the page was handed by /api/session or a poll
  let pollMs = 0; // from /api/session; 0: no polling
  let pollTimer = null;
  let polling = Promise.resolve(); // the poll under way (done when none is)
  let pollUnderWay = false;
  let failures = 0;
  const renderHooks = []; // functions (box, message) run on each message rendered (keep.js)

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const headers = { "X-Requested-With": "biaogan" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, ui.network_error);
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) throw new ApiError(response.status, (data && data.error) || ui.network_error);
    return data;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(message) {
    const box = element("div", `msg ${message.from === "user" ? "user" : "bot"}`);
    box.dataset.id = String(message.id);
    box.dataset.seq = String(message.seq || 0);
    box.setAttribute("aria-label", message.from === "user" ? ui.you : ui.bot);
    if (message.new) {
      box.classList.add("new");
      box.append(element("span", "badge", ui.new_badge));
    }
    box.append(element("p", "text", message.text));
    if (message.file) {
      const link = element("a", "file", ui.download.replace("{name}", message.file.name));
      link.href = message.file.url;
      link.download = message.file.name;
      box.append(link);
    }
    if (message.buttons && message.buttons.length) {
      const keyboard = element("div", "keyboard");
      for (const row of message.buttons) {
        const line = element("div", "row");
        for (const button of row) {
          const node = element("button", "", button.label);
          node.type = "button";
          node.addEventListener("click", () => press(message.id, button.data));
          line.append(node);
        }
        keyboard.append(line);
      }
      box.append(keyboard);
    }
    for (const hook of renderHooks) hook(box, message); // keep.js: 下载PDF under a result
    return box;
  }

  // A message in its place: a new one at the end, a replaced one (an edit) where it was. A
  // message already shown as recent or more recent (the reply and a poll may both bring it) is
  // left alone. `follow`: scroll to it (a notice arriving does only when the visitor is at
  // the end already, so reading older messages is not disturbed).
  function show(message, follow = true) {
    const old = log.querySelector(`[data-id="${message.id}"]`);
    if (old && Number(old.dataset.seq) >= (message.seq || 0)) return null;
    const node = render(message);
    if (old) {
      old.replaceWith(node);
      if (follow) node.scrollIntoView({ block: "nearest" });
    } else {
      log.append(node);
      if (follow) log.scrollTop = log.scrollHeight;
    }
    return node;
  }

  function atTheEnd() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
  }

  function say(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function setBusy(value) {
    busy = value;
    document.body.classList.toggle("busy", value);
  }

  async function send(body, pendingText) {
    if (busy) return;
    setBusy(true);
    say("");
    const pending = pendingText ? element("div", "msg user pending") : null;
    if (pending) {
      pending.append(element("p", "text", pendingText));
      log.append(pending);
      log.scrollTop = log.scrollHeight;
    }
    try {
      await polling; // a poll never reaches the server after a send that forgot the session
      const data = await api("POST", "/api/send", body);
      if (pending) pending.remove();
      if (data.forgotten) {
        setBusy(false); // the fresh session's start sends /start: a greeting and the menu
        await restart(data.notice);
        return;
      }
      for (const message of data.messages) show(message);
    } catch (error) {
      if (pending) pending.remove();
      say(error.message);
      if (error.status === 401) await restart(error.message);
    } finally {
      setBusy(false);
    }
  }

  function press(messageId, data) {
    return send({ type: "button", data, message: messageId });
  }

  // ---- notices while the page is open ------------------------------------------------------

  function pollLater(ms) {
    clearTimeout(pollTimer);
    pollTimer = null;
    if (pollMs > 0 && csrf && !document.hidden) pollTimer = setTimeout(poll, ms);
  }

  function poll() {
    pollTimer = null;
    if (pollUnderWay || !pollMs || !csrf || document.hidden) return;
    if (busy) {
      pollLater(Math.min(pollMs, 1000)); // after the reply is shown
      return;
    }
    pollUnderWay = true;
    polling = pollOnce();
  }

  async function pollOnce() {
    const session = csrf;
    try {
      const data = await api("GET", `/api/updates?after=${cursor}`);
      if (session !== csrf) return; // the page started afresh meanwhile
      failures = 0;
      const follow = atTheEnd();
      for (const message of data.messages) show(message, follow); // the log is aria-live
      cursor = Math.max(cursor, data.cursor);
    } catch (error) {
      if (error.status === 401) pollMs = 0; // the session is gone: the next send says so
      failures += 1;
    } finally {
      pollUnderWay = false;
      pollLater(failures ? Math.min(pollMs * 2 ** failures, MAX_BACKOFF_MS) : pollMs);
    }
  }

  function markNew(messages) {
    const fresh = messages.filter((message) => message.new);
    if (!fresh.length) return null;
    const first = log.querySelector(`[data-id="${fresh[0].id}"]`);
    if (!first) return null;
    const since = element("p", "status since", ui.new_since.replace("{count}", fresh.length));
    first.before(since);
    return since;
  }

  // ---- starting ------------------------------------------------------------------------------

  async function restart(text) {
    csrf = null;
    cursor = 0;
    pollLater(0);
    log.replaceChildren();
    await start();
    say(text || "");
  }

  async function start() {
    const loading = document.getElementById("loading");
    try {
      const data = await api("GET", "/api/session");
      csrf = data.csrf;
      cursor = data.cursor || 0;
      pollMs = (data.poll_seconds || 0) * 1000;
      failures = 0;
      if (loading) loading.remove();
      for (const message of data.messages) show(message);
      const since = markNew(data.messages);
      const params = new URLSearchParams(location.search);
      const target = params.get("start");
      if (params.has("start")) history.replaceState(null, "", location.pathname);
      if (target !== null && DEEP_LINKS.has(target)) {
        await send({ type: "command", name: "start", args: target });
      } else if (!data.messages.length) {
        await send({ type: "command", name: "start", args: "" });
      }
      if (since) since.scrollIntoView({ block: "start" }); // the first new notice on top
      pollLater(pollMs);
    } catch (error) {
      say(error.message);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    send({ type: "text", text }, text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.getElementById("menu").addEventListener("click", () => {
    send({ type: "command", name: "menu" });
  });
  document.getElementById("forget").addEventListener("click", async () => {
    if (busy || !window.confirm(ui.forget_confirm)) return;
    setBusy(true); // no send and no poll meanwhile
    try {
      await polling; // none may reach the server once the session is gone
      const data = await api("POST", "/api/forget", {});
      setBusy(false); // the fresh session's start sends /start
      await restart(data.notice);
    } catch (error) {
      say(error.message);
    } finally {
      setBusy(false);
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) pollLater(0); // paused while hidden…
    else poll(); // …and at once when shown again
  });

  // ---- the hook keep.js (issue 21: upload, PDF, hand-over) uses; nothing else reads it ----
  window.biaogan = {
    csrf: () => csrf,
    show,
    say,
    restart,
    onRender: (hook) => renderHooks.push(hook),
  };

  start();
})();
