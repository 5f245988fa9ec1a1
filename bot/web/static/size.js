// Before the first paint: the 大字 choice this browser remembers (app.js has the switch).
"use strict";
try {
  if (localStorage.getItem("biaogan.large") === "1") document.documentElement.classList.add("large");
} catch {
  // storage refused (a private window): the normal size
}
