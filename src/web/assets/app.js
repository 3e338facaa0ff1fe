// Haven's only script. Every page works without it; it only makes common actions quicker.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // The language switcher submits as soon as a language is picked.
  for (const select of document.querySelectorAll("footer .language select")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});
