// The web chat's page script: talks to /api with fetch, renders every text with textContent.
// While the page is open and shown it polls /api/updates for notices (reminders, broadcasts)
// the dispatcher writes into the conversation: a light read every few seconds, at once when the
// tab is shown again, paused while hidden, slower after errors.
"use strict";

(() => {
  const ui = JSON.parse(document.getElementById("ui").textContent);
  const log = document.getElementById("log");
  const notice = document.getElementById("notice");
  const info = document.getElementById("info");
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
  let ignorePop = false; // a history.back() of the page's own (the guard taken away)
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
    box.tabIndex = -1; // focus moves to a reply (its start), never into nowhere
    box.append(element("span", "sr-only", `${message.from === "user" ? ui.you : ui.bot}：`));
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
          node.dataset.data = button.data;
          node.addEventListener("click", () => press(message.id, button.data));
          line.append(node);
        }
        keyboard.append(line);
      }
      keyboard.dataset.labels = message.buttons.map((row) => row.map((b) => b.label).join("|")).join("/");
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
    if (text) info.textContent = "";
  }

  // Done, not wrong: a success or a fresh start, in green, announced politely (role=status).
  function inform(text) {
    info.textContent = text || "";
    if (text) say("");
  }

  function setBusy(value) {
    busy = value;
    document.body.classList.toggle("busy", value);
  }

  async function send(body, pendingText) {
    if (busy) return false;
    setBusy(true);
    const focused = document.activeElement; // gone after the reply if its message was replaced
    say("");
    inform("");
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
        return true;
      }
      const nodes = data.messages.map((message) => show(message, false)).filter(Boolean);
      const moved = body.type === "button" || body.name === "menu"; // not the page's /start
      afterReply(nodes, moved || (focused && !focused.isConnected));
      return true;
    } catch (error) {
      if (pending) pending.remove();
      if (error.status === 401) {
        setBusy(false);
        await restart(ui.session_restarted, pendingText ? ui.text_kept : "");
      } else {
        say(pendingText ? `${error.message}${ui.text_kept}` : error.message);
      }
      return false;
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
      const nodes = data.messages.map((message) => show(message, false)).filter(Boolean);
      retireKeyboards(); // the log is aria-live: the notices are announced
      if (follow && nodes.length) reveal(nodes);
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

  // ---- after a reply: where the eye, the focus and the old buttons go (issue 21) ------------

  // The reply on screen from its first line: scrolled to the end, but never past the top of
  // the first message of the reply (a long answer opens at its headline, not at its end).
  function reveal(nodes) {
    const first = nodes.find((node) => node.classList.contains("bot")) || nodes[0];
    const end = log.scrollHeight - log.clientHeight;
    const margin = parseFloat(getComputedStyle(first).scrollMarginTop) || 0;
    const top = log.scrollTop + first.getBoundingClientRect().top - log.getBoundingClientRect().top;
    log.scrollTop = Math.max(0, Math.min(end, top - margin));
  }

  // After a pressed button (or 主菜单) the focus goes to the reply's start, where Tab reaches its
  // first button; after a typed text it stays in the box. Never left on a removed button.
  function afterReply(nodes, moveFocus) {
    retireKeyboards();
    if (!nodes.length) return;
    reveal(nodes);
    const reply = nodes.find((node) => node.classList.contains("bot"));
    if (reply && moveFocus) reply.focus({ preventScroll: true });
    guardTheCheck();
  }

  // Only the newest step's keyboard is live. An older copy of the same keyboard (说明 repeats the
  // question's, a typed answer the next question's) is taken away; any other older keyboard is
  // shown disabled. A notice marked 新消息 neither counts as a step nor is retired.
  function retireKeyboards() {
    const steps = [...log.querySelectorAll(".msg.bot:not(.new) .keyboard")];
    const current = steps.pop();
    if (!current) return;
    for (const keyboard of steps) {
      if (keyboard.dataset.labels === current.dataset.labels) keyboard.remove();
      else if (!keyboard.classList.contains("retired")) retire(keyboard);
    }
  }

  function retire(keyboard) {
    keyboard.classList.add("retired");
    for (const button of keyboard.querySelectorAll("button")) {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    }
  }

  function currentKeyboard() {
    return [...log.querySelectorAll(".msg.bot:not(.new) .keyboard")].pop() || null;
  }

  // A self-check is under way while its current keyboard answers a question or the summary
  // (callback data "e:ans:…", "e:edit:…", "e:done": conversations/flows/eligibility/render.py).
  function inTheCheck() {
    const keyboard = currentKeyboard();
    return !!keyboard && [...keyboard.querySelectorAll("button")].some((b) => /^e:(ans|edit|done)\b/.test(b.dataset.data || ""));
  }

  // The browser's Back during a self-check: one history entry of the page's own is taken first,
  // so Back keeps the page and says what a second Back does; the entry goes once the check ends.
  function guardTheCheck() {
    const guarded = history.state && history.state.biaogan === "check";
    if (inTheCheck() && !guarded) {
      history.pushState({ biaogan: "check" }, "");
    } else if (!inTheCheck() && guarded) {
      ignorePop = true;
      history.back();
    }
  }

  window.addEventListener("popstate", () => {
    if (ignorePop) {
      ignorePop = false;
      return;
    }
    if (!inTheCheck()) return;
    inform(ui.leave_check);
    const question = currentKeyboard().closest(".msg");
    question.scrollIntoView({ block: "start" });
    question.focus({ preventScroll: true });
  });

  // 大字: one step larger type, remembered by this browser (size.js applies it before paint).
  function sizeSwitch() {
    const button = document.getElementById("size");
    const root = document.documentElement;
    const state = () => button.setAttribute("aria-pressed", String(root.classList.contains("large")));
    button.replaceChildren(element("span", "", "A+"), " ", ui.large_text);
    button.firstChild.setAttribute("aria-hidden", "true");
    button.hidden = false;
    state();
    button.addEventListener("click", () => {
      const large = root.classList.toggle("large");
      try {
        localStorage.setItem("biaogan.large", large ? "1" : "0");
      } catch {
        // not remembered (storage refused), still applied on this page
      }
      state();
    });
  }

  // ---- starting ------------------------------------------------------------------------------

  async function restart(text, more = "") {
    csrf = null;
    cursor = 0;
    pollLater(0);
    log.replaceChildren();
    await start();
    if (notice.hidden) inform(`${text || ""}${more}`); // an error of the start itself stays
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
      const nodes = data.messages.map((message) => show(message, false)).filter(Boolean);
      retireKeyboards();
      if (nodes.length) reveal(nodes.slice(-1)); // the last message, a long one from its start
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
      guardTheCheck();
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
    send({ type: "text", text }, text).then((sent) => {
      if (!sent && !input.value) input.value = text; // nothing lost: typed again in one press
    });
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

  sizeSwitch();
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
