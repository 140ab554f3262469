// A USB "keyboard-wedge" scanner types a code as a burst of keys a few milliseconds apart,
// ending with Enter. A person types far slower. A burst that ends with Enter is a scan, even
// when the focus is in another field (its characters are taken back out of that field).
const MAX_GAP_MS = 120; // a longer pause between two keys ends a burst
const MAX_MEAN_GAP_MS = 40; // a scanner's keys come a few ms apart; a person types far slower
const MIN_LENGTH = 4; // shorter bursts are a person's quick fingers
// Judged on the mean gap, not the largest one: a busy tablet may delay one key now and then.

export function watchScanner(field, onScan) {
  let burst = [];
  let first = 0;
  let last = 0;
  let target = null;
  let before = "";

  document.addEventListener(
    "keydown",
    (event) => {
      const now = performance.now();
      if (event.key === "Enter") {
        const meanGap = burst.length > 1 ? (last - first) / (burst.length - 1) : Infinity;
        const fast =
          burst.length >= MIN_LENGTH && meanGap <= MAX_MEAN_GAP_MS && now - last <= MAX_GAP_MS * 2;
        if (fast) {
          event.preventDefault();
          const text = target === field ? field.value : burst.join("");
          if (target && target !== field && "value" in target) target.value = before;
          field.value = "";
          reset();
          onScan(text, "scanner");
        } else if (event.target === field) {
          event.preventDefault();
          const text = field.value;
          field.value = "";
          reset();
          onScan(text, "typed");
        }
        return;
      }
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      if (now - last > MAX_GAP_MS) {
        burst = [];
        first = now;
        target = event.target;
        before = "value" in target ? target.value : "";
      }
      burst.push(event.key);
      last = now;
    },
    true,
  );

  function reset() {
    burst = [];
    first = 0;
    last = 0;
    target = null;
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
