// Where a search's words occur in a text, for marking hits: each word (up to 10, as the server
// takes them) matches case-insensitively anywhere, as the server's prefix search finds words that
// start with it (Korean particles included: 서울 marks 서울 in 서울에서).

export interface Part {
  text: string;
  hit: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function highlightParts(text: string, query: string): Part[] {
  const words = [...new Set(query.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter((w) => w.length > 0))].slice(0, 10);
  if (!text || words.length === 0) return [{ text, hit: false }];
  words.sort((a, b) => b.length - a.length);
  const re = new RegExp(`(${words.map(escape).join('|')})`, 'giu');
  const out: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at), hit: false });
    out.push({ text: m[0], hit: true });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}
