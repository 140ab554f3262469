// A USB "keyboard-wedge" scanner types a code as a burst of keys a few milliseconds apart,
// ending with Enter. A person types far slower. A burst that ends with Enter is a scan, even
// when the focus is in another field, or when the cashier was typing a name in the scan field:
// the burst's characters are taken back out of that field, and what the person typed stays.
const MAX_GAP_MS = 120; // a longer pause between two keys ends a burst
const MAX_MEAN_GAP_MS = 40; // a scanner's keys come a few ms apart; a person types far slower
const MIN_LENGTH = 4; // shorter bursts are a person's quick fingers
// Judged on the mean gap, not the largest one: a busy tablet may delay one key now and then.
// A pause longer than MAX_GAP_MS starts a new burst, so the letters of a name typed before the
// scan are not part of it (they stay in the field).

export function watchScanner(field, onScan, onTypedEnter) {
  let keys = []; // [key, time]
  let target = null;

  document.addEventListener(
    "keydown",
    (event) => {
      const now = performance.now();
      if (event.key === "Enter") {
        const scanned = burstAtEnd(now);
        if (scanned) {
          event.preventDefault();
          if (target && "value" in target && target.value.endsWith(scanned)) {
            target.value = target.value.slice(0, -scanned.length);
            if (target === field) field.dispatchEvent(new Event("input", { bubbles: true }));
          }
          keys = [];
          onScan(scanned, "scanner");
        } else if (event.target === field) {
          event.preventDefault();
          keys = [];
          onTypedEnter(field.value);
        }
        return;
      }
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      const last = keys.length ? keys[keys.length - 1][1] : -Infinity;
      if (now - last > MAX_GAP_MS) {
        keys = [];
        target = event.target;
      }
      keys.push([event.key, now]);
    },
    true,
  );

  // The keys since the last pause, if they came as fast as a scanner's; else null.
  function burstAtEnd(now) {
    const burst = keys;
    if (burst.length < MIN_LENGTH) return null;
    const first = burst[0][1];
    const last = burst[burst.length - 1][1];
    const meanGap = (last - first) / (burst.length - 1);
    if (meanGap > MAX_MEAN_GAP_MS || now - last > MAX_GAP_MS * 2) return null;
    return burst.map(([key]) => key).join("");
  }

  // Keep the scan field ready: when nothing else has the focus, it gets it back.
  const refocus = () => {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) field.focus({ preventScroll: true });
    }, 0);
  };
  field.addEventListener("blur", refocus);
  document.addEventListener("click", refocus);
}
