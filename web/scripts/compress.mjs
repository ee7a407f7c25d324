// Writes a Brotli (.br) and a gzip (.gz) copy beside every text file of the build that is worth
// compressing, so the server can send them to browsers that accept them without compressing on
// every request. A copy that would not be smaller is not written (and an old one is removed).
import { readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const TEXT = /\.(js|mjs|css|html|svg|json|map|txt|webmanifest)$/;
const MIN_BYTES = 1024;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.isFile()) yield p;
  }
}

const codings = {
  '.br': (data) => brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  '.gz': (data) => gzipSync(data, { level: 9 }),
};

let before = 0;
let after = 0;
for (const file of files(dist)) {
  if (!TEXT.test(file)) continue;
  const data = readFileSync(file);
  const worth = data.length >= MIN_BYTES;
  if (worth) before += data.length;
  for (const [suffix, compress] of Object.entries(codings)) {
    const out = worth ? compress(data) : null;
    if (out && out.length < data.length) writeFileSync(file + suffix, out);
    else rmSync(file + suffix, { force: true });
    if (worth && suffix === '.br') after += out.length < data.length ? out.length : data.length;
  }
}
console.log(`compressed copies: ${(before / 1024).toFixed(0)} KiB of text → ${(after / 1024).toFixed(0)} KiB as Brotli`);
