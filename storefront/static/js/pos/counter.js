// The counter: scans (or a name typed, or a best seller tapped) add products to the sale, the
// customer pays by cash or VietQR, the sale is kept on this device and sent to the shop (at once,
// or when the connection is back), and the slip is shown at once for printing. Prices and stock
// are checked again by the shop. A service worker (/pos/sw.js) lets the till start offline.
import { Camera } from "./camera.js";
import { Outbox } from "./outbox.js";
import { watchScanner } from "./scanner.js";
import { chooseRoll, chosenRoll, fitPageToSlip } from "./slip-page.js";

const config = JSON.parse(document.getElementById("pos-config").textContent);
const text = config.text;
const $ = (id) => document.getElementById(id);
const money = new Intl.NumberFormat("vi-VN");
const vnd = (amount) => `${money.format(amount)}\u00a0₫`;
const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));

let csrfToken = config.csrf_token;
const known = new Map(); // product code and EAN → product, for scans while offline
let shelf = []; // the shelf's products, for finding by name while offline
let bestSellers = [];
let keptAt = "";
const SALE_KEY = "ocop-pos-sale"; // the sale being rung up survives a reload or a pick-up page
let sale = keptSale() || freshSale();
let way = "cash";

function freshSale() {
  return { clientId: makeId(), lines: [] };
}

function keptSale() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(SALE_KEY));
    return kept && Array.isArray(kept.lines) && kept.clientId ? kept : null;
  } catch {
    return null;
  }
}

function makeId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}

// --- sounds: a short beep for a good scan, a low double buzz for a refusal -------------------

let audio = null;
function sound(ok) {
  try {
    audio = audio || new AudioContext();
    const tones = ok ? [[1046, 0, 0.08]] : [[196, 0, 0.22], [150, 0.28, 0.3]];
    for (const [frequency, start, length] of tones) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = ok ? "sine" : "square";
      oscillator.frequency.value = frequency;
      gain.gain.value = ok ? 0.15 : 0.25;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + start);
      oscillator.stop(audio.currentTime + start + length);
    }
  } catch {
    // no sound on this device: the message on screen says it all
  }
}

function say(message, ok) {
  const box = $("scan-message");
  box.textContent = message;
  box.classList.toggle("is-refused", !ok);
  box.classList.toggle("is-ok", ok);
  if (!ok) {
    document.body.classList.remove("pos-alarm");
    void document.body.offsetWidth; // restart the flash
    document.body.classList.add("pos-alarm");
  }
  sound(ok);
}

// --- the catalogue kept on this device --------------------------------------------------------

async function refreshCatalogue() {
  try {
    const response = await fetch(config.urls.catalogue, {
      headers: { Accept: "application/json" },
      redirect: "manual",
    });
    if (!response.ok) return false;
    const data = await response.json();
    known.clear();
    data.products.forEach(remember);
    shelf = data.products;
    bestSellers = data.best_sellers || [];
    renderBestSellers();
    csrfToken = data.csrf_token;
    keptAt = data.fetched_at;
    return true;
  } catch {
    return false;
  }
}

function remember(product) {
  known.set(product.code, product);
  if (product.ean) known.set(product.ean, product);
}

function findKept(scanned) {
  const value = scanned.trim();
  const inUrl = value.match(/\/q\/([A-Za-z0-9]+)\/?$/);
  return known.get((inUrl ? inUrl[1] : value).toUpperCase()) || known.get(value) || null;
}

// --- scanning ----------------------------------------------------------------------------------

async function scan(scanned, source) {
  const value = (scanned || "").trim();
  if (!value) return;
  $("scan").dataset.source = source;
  let response;
  try {
    response = await fetch(`${config.urls.scan}?code=${encodeURIComponent(value)}`, {
      headers: { Accept: "application/json" },
      redirect: "manual",
    });
  } catch {
    const product = findKept(value) || (source === "typed" && shownMatches.length === 1 ? shownMatches[0] : null);
    if (!product) return say(text.offline_unknown, false);
    return add(product, source, fill(text.offline_found, { time: keptAt }));
  }
  if (response.type === "opaqueredirect") return say(text.signed_out, false);
  const data = await response.json().catch(() => ({ message: String(response.status) }));
  if (!response.ok) {
    // A name typed and Enter without choosing: one match is the product meant.
    if (source === "typed" && ["garbage", "unknown"].includes(data.kind) && shownMatches.length === 1) {
      return add(shownMatches[0], "typed");
    }
    if (source === "typed" && shownMatches.length > 1) {
      return say(fill(text.matches_choose, { n: shownMatches.length }), false);
    }
    return say(data.message, false);
  }
  if (data.pickup_url) {
    // A pick-up pass: its hand-over page, the pass's code checked there (this sale is kept).
    say(text.pickup_opening, true);
    saveSale();
    window.location.assign(data.pickup_url);
    return;
  }
  remember(data.product);
  add(data.product, source);
}

function add(product, source, note = "") {
  const line = sale.lines.find((l) => l.code === product.code);
  const wanted = (line ? line.quantity : 0) + 1;
  if (wanted > product.available) {
    return say(fill(text.shelf_limit, { n: product.available, name: product.name }), false);
  }
  if (line) {
    line.quantity = wanted;
    line.product = product;
    say(`${fill(text.more, { name: product.name, n: wanted })} ${note}`.trim(), true);
  } else {
    sale.lines.push({ code: product.code, quantity: 1, product, source });
    say(`${fill(text.added, { name: product.name })} ${note}`.trim(), true);
  }
  hideReceipt();
  clearMatches();
  render();
}

// --- finding by name: the shelf's products matching what is typed ----------------------------

let shownMatches = [];
let activeMatch = -1;
let findTimer = null;
let findSeq = 0;

const looksLikeACode = (value) => /^(https?:|www\.)|\//i.test(value) || /^\d{6,}$/.test(value);
const foldText = (value) =>
  value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();

function findKeptByName(value) {
  const words = foldText(value).split(/[^a-z0-9]+/).filter(Boolean);
  return shelf
    .filter((p) => {
      const have = p.folded.split(/[^a-z0-9]+/);
      return words.every((w) => have.some((h) => h.startsWith(w)));
    })
    .slice(0, 8);
}

async function findByName(value) {
  const seq = ++findSeq;
  let found;
  try {
    const response = await fetch(`${config.urls.find}?q=${encodeURIComponent(value)}`, {
      headers: { Accept: "application/json" },
      redirect: "manual",
    });
    if (!response.ok) throw new Error(String(response.status));
    found = (await response.json()).products;
    found.forEach(remember);
  } catch {
    found = findKeptByName(value);
  }
  if (seq !== findSeq || $("scan").value.trim() !== value) return; // typed on since
  showMatches(found, value);
}

function showMatches(found, value) {
  shownMatches = found;
  activeMatch = -1;
  const list = $("scan-matches");
  list.replaceChildren(
    ...found.map((product, index) => {
      const item = $("match-template").content.firstElementChild.cloneNode(true);
      item.id = `match-${index}`;
      item.dataset.code = product.code;
      item.querySelector(".pos-match-img").src = product.image_url;
      item.querySelector(".pos-match-name").textContent = product.name;
      item.querySelector(".pos-match-meta").textContent =
        `${product.producer_name} · ${fill(text.in_stock, { n: product.available })}`;
      item.querySelector(".pos-match-price").textContent = vnd(product.price_vnd);
      return item;
    }),
  );
  if (!found.length && value) {
    const none = document.createElement("li");
    none.className = "pos-match-none";
    none.textContent = fill(text.matches_none, { text: value });
    list.append(none);
  }
  list.hidden = !value;
  $("scan").setAttribute("aria-expanded", String(found.length > 0));
  $("scan").removeAttribute("aria-activedescendant");
}

function clearMatches() {
  findSeq += 1;
  clearTimeout(findTimer);
  showMatches([], "");
}

function moveMatch(step) {
  if (!shownMatches.length) return;
  activeMatch = (activeMatch + step + shownMatches.length) % shownMatches.length;
  $("scan-matches")
    .querySelectorAll(".pos-match")
    .forEach((item, index) => item.setAttribute("aria-selected", String(index === activeMatch)));
  $("scan").setAttribute("aria-activedescendant", `match-${activeMatch}`);
  $(`match-${activeMatch}`).scrollIntoView({ block: "nearest" });
}

$("scan").addEventListener("input", () => {
  const value = $("scan").value.trim();
  clearTimeout(findTimer);
  if (value.length < 2 || looksLikeACode(value)) return showMatches([], "");
  findTimer = setTimeout(() => findByName(value), 120);
});

$("scan").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    moveMatch(event.key === "ArrowDown" ? 1 : -1);
  } else if (event.key === "Escape") {
    clearMatches();
  }
});

$("scan-matches").addEventListener("click", (event) => {
  const item = event.target.closest(".pos-match");
  if (!item) return;
  const product = shownMatches.find((p) => p.code === item.dataset.code);
  $("scan").value = "";
  if (product) add(product, "typed");
  $("scan").focus();
});

function typedEnter(value) {
  if (activeMatch >= 0 && shownMatches[activeMatch]) {
    const product = shownMatches[activeMatch];
    $("scan").value = "";
    return add(product, "typed");
  }
  $("scan").value = "";
  return scan(value, "typed");
}

// --- the best sellers, one tap each ----------------------------------------------------------

function renderBestSellers() {
  // The showroom's best sellers still on the shelf, then (a new showroom) its most-starred.
  const onShelf = bestSellers.map((code) => known.get(code)).filter(Boolean);
  const others = [...shelf].sort((a, b) => b.stars - a.stars).filter((p) => !onShelf.includes(p));
  const tiles = [...onShelf, ...others].slice(0, 12);
  $("best-sellers").replaceChildren(
    ...tiles.map((product) => {
      const tile = $("best-template").content.firstElementChild.cloneNode(true);
      tile.dataset.code = product.code;
      tile.querySelector(".pos-tile-img").src = product.image_url;
      tile.querySelector(".pos-tile-name").textContent = product.name;
      tile.querySelector(".pos-tile-price").textContent = vnd(product.price_vnd);
      return tile;
    }),
  );
}

$("best-sellers").addEventListener("click", (event) => {
  const tile = event.target.closest(".pos-tile");
  const product = tile && known.get(tile.dataset.code);
  if (product) add(product, "tapped");
});

// --- the sale on screen ----------------------------------------------------------------------

const total = () => sale.lines.reduce((sum, l) => sum + l.product.price_vnd * l.quantity, 0);

// The page carries the shop's star badge for each number of stars (the star_badge macro).
const starBadge = (stars) => $(`star-badge-${stars}`).content.firstElementChild.cloneNode(true);

function saveSale() {
  sessionStorage.setItem(SALE_KEY, JSON.stringify(sale));
}

function render() {
  saveSale();
  const list = $("sale-lines");
  list.replaceChildren(
    ...sale.lines.map((line) => {
      const item = $("line-template").content.firstElementChild.cloneNode(true);
      item.dataset.code = line.code;
      item.querySelector(".pos-line-img").src = line.product.image_url;
      item.querySelector(".pos-line-name").textContent = line.product.name;
      item.querySelector(".pos-line-stars").replaceWith(starBadge(line.product.stars));
      item.querySelector(".pos-line-price").textContent =
        `${vnd(line.product.price_vnd)} / ${line.product.unit}`;
      item.querySelector(".pos-line-source").textContent = text[line.source] || "";
      // The law's notices (alcohol: check the buyer's age), as the product page shows them.
      const notices = line.product.notices || [];
      const noticeList = item.querySelector(".pos-line-notices");
      noticeList.hidden = notices.length === 0;
      noticeList.replaceChildren(
        ...notices.map((notice) => {
          const shown = document.createElement("li");
          shown.className = `product-notice notice-${notice}`;
          shown.textContent = config.notices[notice] || notice;
          return shown;
        }),
      );
      item.querySelector(".pos-line-count").textContent = line.quantity;
      item.querySelector(".pos-line-total").textContent = vnd(line.product.price_vnd * line.quantity);
      const [less, more] = item.querySelectorAll("button.step");
      less.setAttribute("aria-label", line.quantity > 1 ? text.one_less : text.remove);
      more.setAttribute("aria-label", text.one_more);
      return item;
    }),
  );
  $("sale-empty").hidden = sale.lines.length > 0;
  $("sale-total").textContent = vnd(total());
  renderCash();
  $("show-vietqr").disabled = sale.lines.length === 0;
  $("vietqr-image").hidden = true;
  $("vietqr-info").textContent = "";
  $("complete-vietqr").disabled = true;
}

$("sale-lines").addEventListener("click", (event) => {
  const button = event.target.closest("button.step");
  if (!button) return;
  const code = button.closest(".pos-line").dataset.code;
  const line = sale.lines.find((l) => l.code === code);
  const next = line.quantity + Number(button.dataset.step);
  if (next > line.product.available) {
    return say(fill(text.shelf_limit, { n: line.product.available, name: line.product.name }), false);
  }
  if (next <= 0) sale.lines = sale.lines.filter((l) => l !== line);
  else line.quantity = next;
  render();
});

// --- paying ------------------------------------------------------------------------------------

function cashGiven() {
  const digits = $("cash-given").value.replace(/\D/g, "");
  return digits ? Number(digits) : null;
}

function renderCash() {
  const due = total();
  const given = cashGiven();
  const enough = given === null || given >= due;
  $("change").textContent = given === null ? "—" : enough ? vnd(given - due) : text.not_enough;
  $("change").classList.toggle("is-short", !enough);
  $("complete-cash").disabled = sale.lines.length === 0 || !enough;
  const notes = [due, ...[50000, 100000, 200000, 500000].filter((n) => n > due)].slice(0, 4);
  $("cash-notes").replaceChildren(
    ...(due
      ? notes.map((amount, index) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "button ghost pos-note";
          button.dataset.amount = amount;
          button.textContent = index === 0 ? text.exact : vnd(amount);
          return button;
        })
      : []),
  );
}

$("cash-given").addEventListener("input", renderCash);
$("cash-notes").addEventListener("click", (event) => {
  const button = event.target.closest("[data-amount]");
  if (!button) return;
  $("cash-given").value = money.format(Number(button.dataset.amount));
  renderCash();
});

document.querySelectorAll(".pos-way").forEach((tab) =>
  tab.addEventListener("click", () => {
    way = tab.dataset.way;
    document
      .querySelectorAll(".pos-way")
      .forEach((t) => t.setAttribute("aria-selected", String(t === tab)));
    $("pay-cash").hidden = way !== "cash";
    $("pay-vietqr").hidden = way !== "vietqr";
  }),
);

$("show-vietqr").addEventListener("click", async () => {
  let response;
  try {
    response = await fetch(config.urls.vietqr, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ client_id: sale.clientId, lines: saleLines() }),
      redirect: "manual",
    });
  } catch {
    return say(text.vietqr_offline, false);
  }
  const data = await response.json().catch(() => ({ message: String(response.status) }));
  if (!response.ok) return say(data.message, false);
  $("vietqr-image").src = data.image;
  $("vietqr-image").hidden = false;
  $("vietqr-info").textContent =
    `${data.bank_name} · ${data.account_number} · ${data.account_name} · ${vnd(data.amount_vnd)} · ${data.content}`;
  $("complete-vietqr").disabled = false;
});

const saleLines = () => sale.lines.map((l) => ({ code: l.code, quantity: l.quantity }));

async function complete(payment) {
  if (!sale.lines.length) return;
  const due = total();
  const record = {
    client_id: sale.clientId,
    state: "waiting",
    payload: {
      client_id: sale.clientId,
      lines: saleLines(),
      payment,
      cash_given: payment === "cash" ? (cashGiven() ?? due) : null,
      client_total: due,
      sold_at: new Date().toISOString(),
      shift: config.shift, // when this page was opened, signed by the shop
    },
  };
  document.querySelectorAll(".pos-complete").forEach((b) => (b.disabled = true));
  await outbox.put(record); // kept before it is sent: a dropped connection loses nothing
  const result = await outbox.send(record);
  if (result.state === "refused") {
    await outbox.remove(record.client_id);
    render();
    return say(result.message, false);
  }
  sale.lines.forEach((line) => (line.product.available -= line.quantity));
  showReceipt(record, result.state === "sent" ? result.answer : null);
  say(result.state === "sent" ? fill(text.recorded, { number: result.answer.number }) : text.kept, true);
  sale = freshSale();
  $("cash-given").value = "";
  render();
  updateOutbox();
}

$("complete-cash").addEventListener("click", () => complete("cash"));
$("complete-vietqr").addEventListener("click", () => complete("vietqr"));
$("clear-sale").addEventListener("click", () => {
  sale = freshSale();
  $("cash-given").value = "";
  render();
});

// --- the slip ("Phiếu thanh toán"): shown at once, focus on Print --------------------------------

let shownLines = [];
let lastNumber = null;
const AUTOPRINT_KEY = "ocop-pos-autoprint";
function showReceipt(record, answer) {
  const paid = record.payload;
  shownLines = sale.lines.map((l) => ({ ...l }));
  $("receipt-number").textContent = answer ? answer.number : `(${text.receipt_pending})`;
  $("receipt-time").textContent = new Date(paid.sold_at).toLocaleString("vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh", // the shop's time, whatever the device's clock zone
  });
  $("receipt-lines").replaceChildren(
    ...shownLines.map((line) => {
      const row = document.createElement("tr");
      const what = document.createElement("td");
      what.textContent = `${line.quantity} × ${line.product.name}`;
      // The law's notices in their Vietnamese wording, as the printed receipt page has them.
      for (const notice of line.product.notices || []) {
        const said = document.createElement("span");
        said.className = "receipt-small receipt-notice";
        said.textContent = config.slip_notices[notice] || notice;
        what.append(document.createElement("br"), said);
      }
      const amount = document.createElement("td");
      amount.textContent = vnd(line.product.price_vnd * line.quantity);
      row.append(what, amount);
      return row;
    }),
  );
  const due = answer ? answer.total_vnd : paid.client_total;
  $("receipt-total").textContent = vnd(due);
  $("receipt-way").textContent = paid.payment === "cash" ? text.cash : text.vietqr;
  $("receipt-given").textContent = paid.payment === "cash" ? vnd(paid.cash_given) : vnd(due);
  $("receipt-change-row").hidden = paid.payment !== "cash";
  $("receipt-change").textContent = vnd(Math.max(0, (paid.cash_given || 0) - due));
  $("receipt").dataset.state = answer ? "recorded" : "waiting";
  lastNumber = answer ? answer.number : null;
  $("send-slip").hidden = false;
  $("slip-sent").textContent = answer ? "" : text.send_offline;
  $("slip-to").value = "";
  $("reprint-last").hidden = false;
  openSlip();
  if (localStorage.getItem(AUTOPRINT_KEY) === "1") printSlip();
}

function openSlip() {
  const dialog = $("slip");
  if (!dialog.open) dialog.showModal();
  fitPageToSlip($("slip-paper"), $("slip-roll").value);
  $("print-receipt").focus();
}

function printSlip() {
  fitPageToSlip($("slip-paper"), $("slip-roll").value);
  document.body.classList.add("printing-slip");
  window.print();
}

function hideReceipt() {
  if ($("slip").open) $("slip").close();
}

window.addEventListener("beforeprint", () => {
  if ($("slip").open) fitPageToSlip($("slip-paper"), $("slip-roll").value);
});
window.addEventListener("afterprint", () => document.body.classList.remove("printing-slip"));
$("print-receipt").addEventListener("click", printSlip);
$("reprint-last").addEventListener("click", openSlip);
$("new-sale").addEventListener("click", () => {
  hideReceipt();
  $("scan").focus();
});
$("slip").addEventListener("close", () => $("scan").focus());
$("slip-roll").value = chosenRoll();
$("slip-roll").addEventListener("change", () => {
  chooseRoll($("slip-roll").value);
  fitPageToSlip($("slip-paper"), $("slip-roll").value);
});
$("slip-autoprint").checked = localStorage.getItem(AUTOPRINT_KEY) === "1";
$("slip-autoprint").addEventListener("change", () =>
  localStorage.setItem(AUTOPRINT_KEY, $("slip-autoprint").checked ? "1" : "0"),
);

$("send-slip").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!lastNumber) return ($("slip-sent").textContent = text.send_offline);
  const body = new URLSearchParams({ to: $("slip-to").value });
  let data;
  try {
    const response = await fetch(config.urls.send.replace("NUMBER", lastNumber), {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      body,
      redirect: "manual",
    });
    data = await response.json();
  } catch {
    data = { message: text.send_offline };
  }
  $("slip-sent").textContent = data.message;
  $("slip-sent").classList.toggle("is-refused", !data.sent);
});

// --- sales waiting to be sent ------------------------------------------------------------------

const outbox = new Outbox(config.urls.sales, () => csrfToken, () => updateOutbox());

async function updateOutbox() {
  const records = await outbox.all();
  const waiting = records.filter((r) => r.state === "waiting").length;
  showConnection();
  const status = $("outbox-status");
  status.textContent =
    waiting === 0 ? text.all_sent : waiting === 1 ? text.waiting_one : fill(text.waiting, { n: waiting });
  status.dataset.waiting = waiting;
  status.classList.toggle("is-waiting", waiting > 0);
  $("outbox-refused").replaceChildren(
    ...records
      .filter((r) => r.state === "refused")
      .map((record) => {
        const item = document.createElement("li");
        item.className = "alert alert-bad";
        item.textContent = `${fill(text.refused_kept, { reason: record.reason })} `;
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "link-button";
        discard.textContent = text.discard;
        discard.addEventListener("click", () => outbox.remove(record.client_id));
        item.append(discard);
        return item;
      }),
  );
}

async function reconnect() {
  if (await refreshCatalogue()) await outbox.flush();
}

function showConnection() {
  const online = navigator.onLine;
  $("connection").dataset.online = String(online);
  $("connection").textContent = online ? text.online : text.offline;
}

window.addEventListener("online", () => {
  showConnection();
  reconnect();
});
window.addEventListener("offline", showConnection);
setInterval(async () => {
  if ((await outbox.all()).some((r) => r.state === "waiting")) reconnect();
}, 15000);

// --- the camera --------------------------------------------------------------------------------

const camera = new Camera($("camera-video"), config.urls, (code) => scan(code, "camera"));
$("camera-toggle").addEventListener("click", async () => {
  const button = $("camera-toggle");
  if (camera.running) {
    camera.stop();
    $("camera").hidden = true;
    button.setAttribute("aria-pressed", "false");
    return;
  }
  $("camera").hidden = false;
  $("camera-status").textContent = text.camera_starting;
  button.setAttribute("aria-pressed", "true");
  try {
    await camera.start();
    $("camera-status").textContent = text.camera_ready;
  } catch (error) {
    $("camera-status").textContent = fill(text.camera_failed, { reason: error.message || error.name });
    button.setAttribute("aria-pressed", "false");
  }
});

// --- start -------------------------------------------------------------------------------------

$("scan-form").addEventListener("submit", (event) => {
  event.preventDefault();
  typedEnter($("scan").value);
});
watchScanner($("scan"), scan, typedEnter);
render();
updateOutbox();
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(config.sw, { scope: new URL(".", location.href).pathname }).catch(() => {
    // no service worker (a private window, an old browser): the counter works, online only
  });
}
reconnect().finally(() => {
  if (!shelf.length) renderBestSellers();
  document.body.dataset.posReady = "true";
});
