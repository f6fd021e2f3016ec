#!/usr/bin/env node
'use strict';
// Resizes the photos of the training set (see core/data/SOURCES.md).
//
// Usage: node core/scripts/resize-photos.js OUT_DIR [LIST]
//   LIST is a JSON array of {"file": "name.png", "source": "/path/to/original"};
//   it is read from the second argument (JSON text, or the path of a JSON file)
//   or, when there is none, from standard input.
//
// Each photo is turned upright according to its EXIF orientation, shrunk so its
// long side is at most 1600 px (Lanczos 3, never enlarged) and written as PNG to
// OUT_DIR/file. One line is printed per photo; the exit status is 1 if any failed.

const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');

const LONG_SIDE = 1600;

function usage(message) {
  if (message) process.stderr.write(`resize-photos: ${message}\n`);
  process.stderr.write('usage: resize-photos.js OUT_DIR [LIST.json | JSON]  (LIST on stdin when omitted)\n');
  process.exit(2);
}

function readList(arg) {
  let text;
  if (arg === undefined || arg === '-') text = fs.readFileSync(0, 'utf8');
  else if (/^\s*\[/.test(arg)) text = arg;
  else text = fs.readFileSync(arg, 'utf8');
  let list;
  try {
    list = JSON.parse(text);
  } catch (error) {
    usage(`the list is not valid JSON: ${error.message}`);
  }
  if (!Array.isArray(list) || list.length === 0) usage('the list must be a non-empty JSON array');
  const seen = new Set();
  for (const [i, entry] of list.entries()) {
    if (!entry || typeof entry.file !== 'string' || typeof entry.source !== 'string') {
      usage(`entry ${i} needs string "file" and "source"`);
    }
    if (entry.file !== path.basename(entry.file) || entry.file.startsWith('.') || !/\.png$/i.test(entry.file)) {
      usage(`entry ${i}: "${entry.file}" must be a plain file name ending in .png`);
    }
    if (seen.has(entry.file)) usage(`entry ${i}: "${entry.file}" is listed twice`);
    seen.add(entry.file);
  }
  return list;
}

async function main() {
  const [outDir, listArg, ...rest] = process.argv.slice(2);
  if (!outDir || rest.length > 0) usage();
  const list = readList(listArg);
  fs.mkdirSync(outDir, { recursive: true });
  // One photo at a time and one libvips thread: this runs next to training jobs.
  sharp.concurrency(1);
  sharp.cache(false);

  let failed = 0;
  for (const { file, source } of list) {
    const target = path.join(outDir, file);
    try {
      const input = await sharp(source).metadata();
      const info = await sharp(source)
        .rotate() // apply the EXIF orientation
        .resize({
          width: LONG_SIDE,
          height: LONG_SIDE,
          fit: 'inside',
          withoutEnlargement: true,
          kernel: 'lanczos3',
        })
        .png()
        .toFile(target);
      const swapped = (input.orientation ?? 1) >= 5;
      const inW = swapped ? input.height : input.width;
      const inH = swapped ? input.width : input.height;
      process.stdout.write(`${file}\t${inW}x${inH} -> ${info.width}x${info.height}\t${source}\n`);
    } catch (error) {
      failed++;
      process.stdout.write(`${file}\tFAILED: ${error.message}\t${source}\n`);
    }
  }
  if (failed > 0) {
    process.stderr.write(`resize-photos: ${failed} of ${list.length} photos failed\n`);
    process.exit(1);
  }
}

main().catch((error) => {
  process.stderr.write(`resize-photos: ${error.stack || error.message}\n`);
  process.exit(1);
});
