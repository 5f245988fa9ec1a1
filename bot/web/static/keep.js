// What the page keeps for the visitor (issue 21; the server side is bot/web/keep.py):
// - a text over the limit is refused here with its length and the limit, never cut (the box
//   has no maxlength: a pasted draft was cut silently at 4,096 characters);
// - 上传草稿: a .docx or .pdf case draft, checked by the area flow; the file is not kept;
// - 下载PDF / 打印 under a result (the page's print stylesheet is print.css);
// - 在其他设备继续: a one-time code and link; a code typed here (or ?continue=CODE in the
//   address) moves that conversation to this browser.
// It talks to app.js only through window.biaogan (csrf, show, say, restart, onRender).
"use strict";

(() => {
  const keep = JSON.parse(document.getElementById("keep-ui").textContent);
  const page = window.biaogan;
  const input = document.getElementById("text");
  const form = document.getElementById("composer");
  if (!page || !input || !form) return;
  input.removeAttribute("maxlength");

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function call(method, path, body, isForm) {
    const headers = { "X-Requested-With": "biaogan", "X-CSRF-Token": page.csrf() || "" };
    if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch {
      throw new Error(keep.network_error);
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) throw new Error((data && data.error) || keep.network_error);
    return data;
  }

  // ---- a text over the limit: refused with its numbers, the box left as it was -------------
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target !== form) return;
      const length = input.value.length;
      if (length <= keep.max_text) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      page.say(keep.too_long.replace("{length}", length).replace("{limit}", keep.max_text));
    },
    true,
  );

  // ---- the tools, in the header beside 大字 and 清除记录 (the conversation keeps the room):
  // 上传草稿, 在其他设备继续 ------------------------------------------------------------------
  const tools = document.querySelector(".bar .tools");
  const picker = element("input");
  picker.type = "file";
  picker.id = "draft-file";
  picker.accept = ".docx,.pdf,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  picker.className = "keep-file";
  const pickLabel = element("label", "quiet keep-tool", keep.upload);
  pickLabel.htmlFor = "draft-file";
  pickLabel.title = keep.upload_label;
  const handover = element("button", "quiet keep-tool", keep.handover);
  handover.type = "button";
  handover.id = "handover";
  handover.setAttribute("aria-expanded", "false");
  tools.prepend(picker, pickLabel, handover);
  const panel = element("section", "keep-panel");
  panel.id = "handover-panel";
  panel.hidden = true;
  panel.setAttribute("aria-label", keep.handover);
  form.before(panel);

  picker.addEventListener("change", async () => {
    const file = picker.files && picker.files[0];
    picker.value = "";
    if (!file) return;
    if (file.size > keep.upload_bytes) {
      page.say(keep.upload_too_large);
      return;
    }
    const body = new FormData();
    body.append("file", file, file.name);
    page.say("");
    document.body.classList.add("busy");
    try {
      const data = await call("POST", "/api/upload", body, true);
      for (const message of data.messages) page.show(message);
    } catch (error) {
      page.say(error.message);
    } finally {
      document.body.classList.remove("busy");
    }
  });

  // ---- 在其他设备继续 ---------------------------------------------------------------------------
  function claimForm() {
    const box = element("form", "keep-claim");
    const label = element("label", "", keep.enter);
    const field = element("input");
    field.id = "handover-code";
    field.name = "code";
    field.autocomplete = "off";
    field.setAttribute("autocapitalize", "characters");
    field.maxLength = 12;
    label.htmlFor = field.id;
    const use = element("button", "keep-button", keep.use);
    use.type = "submit";
    box.append(label, field, use);
    box.addEventListener("submit", (event) => {
      event.preventDefault();
      claim(field.value);
    });
    return box;
  }

  function closePanel() {
    panel.hidden = true;
    panel.replaceChildren();
    handover.setAttribute("aria-expanded", "false");
    handover.focus();
  }

  handover.addEventListener("click", async () => {
    if (!panel.hidden) {
      closePanel();
      return;
    }
    panel.replaceChildren();
    const close = element("button", "keep-button keep-close", keep.close);
    close.type = "button";
    close.addEventListener("click", closePanel);
    try {
      const data = await call("POST", "/api/handover", {});
      const text = element("p", "keep-code-text", data.text);
      const code = element("p", "keep-code", data.code);
      code.id = "handover-code-shown";
      panel.append(code, text, claimForm(), close);
    } catch (error) {
      panel.append(element("p", "", error.message), claimForm(), close);
    }
    panel.hidden = false;
    handover.setAttribute("aria-expanded", "true");
    panel.querySelector(".keep-code, p").setAttribute("tabindex", "-1");
    panel.querySelector(".keep-code, p").focus();
  });

  async function claim(code) {
    try {
      const data = await call("POST", "/api/handover/claim", { code });
      panel.hidden = true;
      panel.replaceChildren();
      await page.restart(data.notice);
    } catch (error) {
      page.say(error.message);
    }
  }

  // ?continue=CODE: the link from the other device, claimed once this page has its session.
  const params = new URLSearchParams(location.search);
  const linked = params.get("continue");
  if (linked !== null) {
    history.replaceState(null, "", location.pathname);
    const waitForSession = () => {
      if (page.csrf() && !document.body.classList.contains("busy")) claim(linked);
      else setTimeout(waitForSession, 100);
    };
    waitForSession();
  }

  // ---- 下载PDF and 打印 under a result ----------------------------------------------------------
  page.onRender((box, message) => {
    if (!message.keep) return;
    const row = element("div", "keep-result");
    const pdf = element("a", "keep-button", keep.pdf);
    pdf.href = "/api/result.pdf";
    pdf.download = keep.pdf_name;
    const print = element("button", "keep-button", keep.print);
    print.type = "button";
    print.addEventListener("click", () => window.print());
    row.append(pdf, print);
    box.append(row);
  });
})();
