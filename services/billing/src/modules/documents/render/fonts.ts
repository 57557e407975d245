import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

/**
 * The fonts every document embeds, from node_modules (packages of the npm registry that ship the
 * TTF files; the production image copies node_modules): Noto Sans for Latin text and figures,
 * Noto Sans Bengali for Bengali. Read once per process; nothing is fetched at run time.
 */
const FILES = {
  latin: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  latinBold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  bengali: '@expo-google-fonts/noto-sans-bengali/400Regular/NotoSansBengali_400Regular.ttf',
  bengaliBold: '@expo-google-fonts/noto-sans-bengali/700Bold/NotoSansBengali_700Bold.ttf',
} as const;
export type FontName = keyof typeof FILES;

export interface LoadedFont {
  bytes: Buffer;
  /**
   * Parsed once per process and handed to pdfkit as it is (pdfkit embeds a subset per document):
   * parsing the tables for every document was most of a render's time. Also shapes Bengali runs
   * (conjuncts, reordered vowel signs) and measures them.
   */
  face: fontkit.Font;
}

/**
 * Noto Sans Bengali laid out glyph by glyph from the character map (no shaping, no reordering):
 * the font of the Bengali text layer, so each glyph maps back to one character in the order
 * written (render/text.ts). A face of its own: the shaping one stays as it is.
 */
function unshaped(face: fontkit.Font): fontkit.Font {
  face.layout = ((text: string) => {
    const glyphs = face.glyphsForString(text);
    const positions = glyphs.map((g) => ({
      xAdvance: g.advanceWidth,
      yAdvance: 0,
      xOffset: 0,
      yOffset: 0,
    }));
    return { glyphs, positions };
  }) as unknown as fontkit.Font['layout'];
  return face;
}

/**
 * Latin text shaped once per string and process (bounded): pdfkit lays out every word it measures
 * or draws, and a new document starts with an empty cache of its own. pdfkit scales the positions
 * it is given in place, so each call gets its own copy of them.
 */
const LAYOUT_LIMIT = 20_000;

function memoized(face: fontkit.Font): fontkit.Font {
  const layout = face.layout.bind(face);
  const runs = new Map<string, fontkit.GlyphRun>();
  face.layout = ((text: string, features?: unknown) => {
    const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`;
    let run = runs.get(key);
    if (!run) {
      if (runs.size >= LAYOUT_LIMIT) runs.clear();
      run = layout(text, features as string[] | undefined);
      runs.set(key, run);
    }
    // a GlyphRun still (pdfkit reads its advanceWidth getter), with positions of its own
    const copy = Object.create(Object.getPrototypeOf(run) as object) as fontkit.GlyphRun;
    return Object.assign(copy, run, { positions: run.positions.map((p) => ({ ...p })) });
  }) as unknown as fontkit.Font['layout'];
  return face;
}

let loaded: Record<FontName | 'bengaliText', LoadedFont> | null = null;

export function documentFonts(): Record<FontName | 'bengaliText', LoadedFont> {
  if (!loaded) {
    const entries = Object.entries(FILES).map(([name, file]) => {
      const bytes = readFileSync(require.resolve(file));
      return [name, { bytes, face: fontkit.create(bytes) as fontkit.Font }] as const;
    });
    const fonts = Object.fromEntries(entries) as Record<FontName, LoadedFont>;
    memoized(fonts.latin.face);
    memoized(fonts.latinBold.face);
    const { bytes } = fonts.bengali;
    loaded = {
      ...fonts,
      bengaliText: { bytes, face: unshaped(fontkit.create(bytes) as fontkit.Font) },
    };
  }
  return loaded;
}
