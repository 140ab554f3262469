// The phone's or tablet's camera as a scanner: the browser's own BarcodeDetector where it reads
// QR codes, else the barcode-detector package (ZXing in WebAssembly), served by the shop itself.
const FORMATS = ["qr_code", "ean_13", "ean_8", "upc_a"];
const EVERY_MS = 200;
const SAME_CODE_PAUSE_MS = 2500; // the same code held in view is one scan

let detectorClass = null;

async function loadDetector(urls) {
  if (detectorClass) return detectorClass;
  if ("BarcodeDetector" in window) {
    const formats = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
    if (formats.includes("qr_code")) return (detectorClass = window.BarcodeDetector);
  }
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = urls.detector_script;
    script.onload = resolve;
    script.onerror = () => reject(new Error("barcode-detector could not be loaded"));
    document.head.append(script);
  });
  const api = window.BarcodeDetectionAPI;
  api.prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? urls.detector_wasm : prefix + path),
    },
  });
  return (detectorClass = api.BarcodeDetector);
}

export class Camera {
  constructor(video, urls, onCode) {
    this.video = video;
    this.urls = urls;
    this.onCode = onCode;
    this.stream = null;
    this.lastCode = "";
    this.lastAt = 0;
  }

  get running() {
    return this.stream !== null;
  }

  async start() {
    const Detector = await loadDetector(this.urls);
    const supported = await Detector.getSupportedFormats();
    this.detector = new Detector({ formats: FORMATS.filter((f) => supported.includes(f)) });
    this.stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment" },
      audio: false,
    });
    this.video.srcObject = this.stream;
    await this.video.play();
    this.loop();
  }

  stop() {
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  }

  async loop() {
    while (this.stream) {
      if (this.video.readyState >= 2) {
        try {
          const found = await this.detector.detect(this.video);
          if (found.length) this.seen(found[0].rawValue);
        } catch {
          // a frame that could not be read: the next one will do
        }
      }
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    }
  }

  seen(code) {
    const now = performance.now();
    if (code === this.lastCode && now - this.lastAt < SAME_CODE_PAUSE_MS) {
      this.lastAt = now;
      return;
    }
    this.lastCode = code;
    this.lastAt = now;
    this.onCode(code);
  }
}
