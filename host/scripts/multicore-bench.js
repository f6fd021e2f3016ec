// Median of 3 warm restores of a 1024x1024 image (denoise, 1 step) with 0, 1 and 2 tile workers.
// Usage: node host/scripts/multicore-bench.js [photo]   (after npm run build)
const core = require('../../core/dist');
(async () => {
  const img = await core.readImage(process.argv[2] ?? '../shared/data/photos/plasma-Kite.png');
  const y = core.resize(img.image, 1024, 1024, 'bilinear');
  for (const workers of [0, 1, 2]) {
    const engine = await core.createEngine({ workers });
    const run = async () => { const t = performance.now(); await engine.restore({ task: 'denoise', prompt: 'remove sensor noise and grain', input: { y: core.cloneImage ? core.cloneImage(y) : y }, steps: 1 }); return (performance.now() - t) / 1000; };
    await run();
    const times = [await run(), await run(), await run()];
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`workers ${workers}: median ${sorted[1].toFixed(2)} s (${times.map((t) => t.toFixed(2)).join(', ')})`);
    engine.dispose();
  }
})();
