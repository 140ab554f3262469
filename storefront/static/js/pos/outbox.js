// Completed sales wait here (IndexedDB) until the shop has recorded them. Each carries the id the
// counter made for it, so sending it again (a retry, a second tab) is recorded once by the shop.
const DB_NAME = "ocop-pos";
const STORE = "sales";

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class Outbox {
  constructor(url, csrfToken, onChange) {
    this.url = url;
    this.csrfToken = csrfToken; // a function: the token may be renewed
    this.onChange = onChange;
    this.flushing = null;
    this.db = this.open();
  }

  async open() {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "client_id" });
    return request(opening);
  }

  async store(mode) {
    return (await this.db).transaction(STORE, mode).objectStore(STORE);
  }

  async put(record) {
    await request((await this.store("readwrite")).put(record));
    this.onChange();
  }

  async remove(clientId) {
    await request((await this.store("readwrite")).delete(clientId));
    this.onChange();
  }

  async all() {
    return request((await this.store("readonly")).getAll());
  }

  // One attempt: "sent" (with the shop's answer), "refused" (with its reason) or "waiting".
  async send(record) {
    let response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": this.csrfToken(),
        },
        body: JSON.stringify(record.payload),
        redirect: "manual",
        credentials: "same-origin",
      });
    } catch {
      return { state: "waiting" };
    }
    if (response.status === 200 || response.status === 201) {
      const answer = await response.json();
      await this.remove(record.client_id);
      return { state: "sent", answer };
    }
    if (response.status === 422 || response.status === 404) {
      const answer = await response.json().catch(() => ({}));
      return { state: "refused", message: answer.message || String(response.status) };
    }
    // Signed out (a redirect), an old form token, or the server is down: try again later.
    return { state: "waiting", status: response.status };
  }

  // Send every waiting sale, oldest first; stop at the first that cannot get through.
  flush() {
    if (!this.flushing) {
      this.flushing = this.flushAll().finally(() => {
        this.flushing = null;
        this.onChange();
      });
    }
    return this.flushing;
  }

  async flushAll() {
    const waiting = (await this.all())
      .filter((record) => record.state === "waiting")
      .sort((a, b) => a.payload.sold_at.localeCompare(b.payload.sold_at));
    for (const record of waiting) {
      const result = await this.send(record);
      if (result.state === "waiting") return;
      if (result.state === "refused") await this.put({ ...record, state: "refused", reason: result.message });
    }
  }
}
