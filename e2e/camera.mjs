// A phone's camera for the specs: Chromium's fake capture device showing a QR code (the member app's enrolment
// scanner, the event door's ticket scanner).
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

// A camera's view for Chromium's fake capture device: YUV4MPEG2, 4:2:0. First `empty` frames of a grey wall (so the
// scanner can be seen scanning), then frames of the QR image on white, centred; Chromium loops the file.
export function writeY4m(path, qr, { width = 480, height = 360, fps = 5, empty = 10, showing = 5 } = {}) {
  const luma = (v) => 16 + Math.round((v * 219) / 255);  // studio range, as video is
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const wall = Buffer.alloc(width * height, luma(150));
  const shown = Buffer.alloc(width * height, luma(255));
  const left = (width - qr.width) >> 1, top = (height - qr.height) >> 1;
  for (let y = 0; y < qr.height; y++)
    for (let x = 0; x < qr.width; x++) shown[(top + y) * width + left + x] = luma(qr.pixels[y * qr.width + x]);
  const frames = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < empty + showing; i++) frames.push(Buffer.from("FRAME\n"), i < empty ? wall : shown, chroma);
  writeFileSync(path, Buffer.concat(frames));
}

// A phone whose rear camera sees `y4m`: its own Chromium, as run.mjs launches it, with the fake capture device.
export async function cameraPhone(y4m, locale, viewport = { width: 390, height: 844 }) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
           "--use-file-for-fake-video-capture=" + y4m],
  });
  const ctx = await browser.newContext({ locale, viewport });
  const page = await ctx.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { browser, page, problems };
}


// The QR code drawn on a page (an SVG, as web::qr_code writes it) as grey pixels with a white quiet zone, drawn by
// a blank page of the same browser (no CSP there to refuse the image).
export async function qrPixels(page, selector, size = 240) {
  const svg = (await page.locator(selector).evaluate((e) => e.outerHTML)).replaceAll("currentColor", "#000");
  const blank = await page.context().newPage();
  try {
    const grey = await blank.evaluate(async ({ svg, size }) => {
      const img = new Image();
      img.src = "data:image/svg+xml;base64," + btoa(svg);
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = size;
      const g = canvas.getContext("2d");
      g.fillStyle = "#fff";
      g.fillRect(0, 0, size, size);
      g.imageSmoothingEnabled = false;
      const margin = Math.round(size / 8);
      g.drawImage(img, margin, margin, size - 2 * margin, size - 2 * margin);
      const rgba = g.getImageData(0, 0, size, size).data, out = [];
      for (let i = 0; i < rgba.length; i += 4) out.push(rgba[i]);
      return out;
    }, { svg, size });
    return { width: size, height: size, pixels: Buffer.from(grey) };
  } finally {
    await blank.close();
  }
}
