/**
 * A line of text cut into runs of one script, so each run is drawn with a font that has its
 * glyphs: Bengali (seed 002's market) with Noto Sans Bengali, everything else with Noto Sans.
 * Spaces and punctuation belong to the run they sit in (the one before them; at the start, the
 * one after), so "রহিম স্টোর" stays one run and shapes as one.
 */
export type Script = 'bengali' | 'latin';

export interface ScriptRun {
  script: Script;
  text: string;
}

/** The Bengali block, the dandas it uses, and the joiners that steer its conjuncts. */
const BENGALI = /[\u0980-\u09ff\u0964\u0965\u200c\u200d]/u;
const NEUTRAL = /[\s.,:;!?'"()[\]/&+\-–—]/u;

function scriptOf(char: string): Script | null {
  if (BENGALI.test(char)) return 'bengali';
  return NEUTRAL.test(char) ? null : 'latin';
}

export function scriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let pending = '';
  for (const char of text) {
    const script = scriptOf(char);
    const last = runs[runs.length - 1];
    if (script === null) {
      if (last) last.text += char;
      else pending += char;
    } else if (last && last.script === script) {
      last.text += char;
    } else {
      runs.push({ script, text: pending + char });
      pending = '';
    }
  }
  if (pending) runs.push({ script: 'latin', text: pending });
  return runs;
}
