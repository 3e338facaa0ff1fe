// Haven's only script. Every page works without it; it only makes common actions quicker.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // The language switcher submits as soon as a language is picked.
  for (const select of document.querySelectorAll("footer .language select")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // A file picker fills the text area it names with a UTF-8 text file (import: the file never leaves the page
  // except in the form); a workbook, or text in another encoding, is left to the server, which reads it as sent.
  for (const input of document.querySelectorAll("input[type=file][data-fills]")) {
    input.addEventListener("change", async () => {
      const file = input.files[0], area = document.getElementById(input.dataset.fills);
      if (!file) return;
      const text = /\.(csv|txt|tsv)$/i.test(file.name) ? await file.text() : "";
      area.value = text.includes("\uFFFD") ? "" : text;
    });
  }
  // At an event's door: the guest's ticket through the phone's rear camera (jsQR, loaded on the first press), put in
  // the code field and sent. Nothing leaves the phone but the code, as if typed.
  const scanButton = document.getElementById("scan-ticket");
  if (scanButton) {
    const label = scanButton.textContent, video = document.getElementById("scan-video"), code = document.getElementById("code");
    let stream = null;
    const stop = () => {
      if (stream) for (const t of stream.getTracks()) t.stop();
      stream = null;
      video.srcObject = null;
      video.hidden = true;
      scanButton.textContent = label;
    };
    const decoder = () => (typeof jsQR === "function" ? Promise.resolve() : new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = scanButton.dataset.jsqr;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    }));
    scanButton.addEventListener("click", async () => {
      if (stream) { stop(); return; }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        await decoder();
      } catch (e) {
        stop();
        scanButton.insertAdjacentText("afterend", " " + scanButton.dataset.unavailable);
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      await video.play().catch(() => {});
      scanButton.textContent = scanButton.dataset.stop;
      const canvas = document.createElement("canvas"), g = canvas.getContext("2d", { willReadFrequently: true });
      const look = () => {
        if (!stream) return;
        if (video.readyState >= 2 && video.videoWidth) {
          const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          g.drawImage(video, 0, 0, canvas.width, canvas.height);
          const found = jsQR(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
          if (found && found.data) {
            code.value = found.data.trim();
            stop();
            code.form.requestSubmit();
            return;
          }
        }
        setTimeout(look, 150);
      };
      look();
    });
  }
  // A page that is still working (an import) reloads itself every second.
  if (document.querySelector("[data-refresh]")) setTimeout(() => location.reload(), 1000);
});
