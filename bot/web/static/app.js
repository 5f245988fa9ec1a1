// The web chat's page script: talks to /api with fetch, renders every text with textContent.
"use strict";

(() => {
  const ui = JSON.parse(document.getElementById("ui").textContent);
  const log = document.getElementById("log");
  const notice = document.getElementById("notice");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const DEEP_LINKS = new Set(["check", "area", "faq"]);
  let csrf = null;
  let busy = false;

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
    box.setAttribute("aria-label", message.from === "user" ? ui.you : ui.bot);
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
    return box;
  }

  function show(message, replaced) {
    const node = render(message);
    const old = replaced === message.id ? log.querySelector(`[data-id="${message.id}"]`) : null;
    if (old) {
      old.replaceWith(node);
      node.scrollIntoView({ block: "nearest" });
    } else {
      log.append(node);
      log.scrollTop = log.scrollHeight;
    }
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
      const data = await api("POST", "/api/send", body);
      if (pending) pending.remove();
      if (data.forgotten) {
        setBusy(false); // the fresh session's start sends /start: a greeting and the menu
        await restart(data.notice);
        return;
      }
      for (const message of data.messages) show(message, data.replaced);
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

  async function restart(text) {
    csrf = null;
    log.replaceChildren();
    await start();
    say(text || "");
  }

  async function start() {
    const loading = document.getElementById("loading");
    try {
      const data = await api("GET", "/api/session");
      csrf = data.csrf;
      if (loading) loading.remove();
      for (const message of data.messages) show(message);
      const params = new URLSearchParams(location.search);
      const target = params.get("start");
      if (params.has("start")) history.replaceState(null, "", location.pathname);
      if (target !== null && DEEP_LINKS.has(target)) {
        await send({ type: "command", name: "start", args: target });
      } else if (!data.messages.length) {
        await send({ type: "command", name: "start", args: "" });
      }
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
    try {
      const data = await api("POST", "/api/forget", {});
      await restart(data.notice);
    } catch (error) {
      say(error.message);
    }
  });

  start();
})();
