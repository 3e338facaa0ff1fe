// Haven's only script. Every page works without it; it only makes common actions quicker.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // The language switcher submits as soon as a language is picked.
  for (const select of document.querySelectorAll("footer .language select")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // A file picker fills the text area it names (import: the file never leaves the page except in the form).
  for (const input of document.querySelectorAll("input[type=file][data-fills]")) {
    input.addEventListener("change", async () => {
      const file = input.files[0];
      if (file) document.getElementById(input.dataset.fills).value = await file.text();
    });
  }
  // A page that is still working (an import) reloads itself every second.
  if (document.querySelector("[data-refresh]")) setTimeout(() => location.reload(), 1000);
});
