// The slip prints on a roll of 58 or 80 mm: the page is the roll's width and exactly as tall as
// the slip, so a roll printer feeds no blank paper (no A4 or 297 mm page). Set when the slip is
// shown and again just before printing.
const MARGIN_MM = { 58: 5, 80: 4 }; // the slip is 48 or 72 mm wide: what these printers print
const PX_PER_MM = 96 / 25.4;
const ROLL_KEY = "ocop-pos-roll";
let sheet = null;

export function chosenRoll() {
  const roll = localStorage.getItem(ROLL_KEY);
  return roll === "58" ? "58" : "80";
}

export function chooseRoll(roll) {
  localStorage.setItem(ROLL_KEY, roll === "58" ? "58" : "80");
}

export function fitPageToSlip(paper, roll = chosenRoll()) {
  document.documentElement.dataset.roll = roll;
  const margin = MARGIN_MM[roll];
  const height = Math.ceil(paper.getBoundingClientRect().height / PX_PER_MM) + 2 * margin + 2;
  sheet = sheet || new CSSStyleSheet();
  sheet.replaceSync(`@page { size: ${roll}mm ${height}mm; margin: ${margin}mm; }`);
  if (!document.adoptedStyleSheets.includes(sheet)) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  return height;
}
